namespace Marquee.Core.Sync;

/// <summary>
/// Reverts journal writes that are not watch-state writes of an item (an unmonitor in Radarr or Sonarr, a watchlist add
/// or removal): the part that made them knows how to take them back. <see cref="UndoService"/> hands it the writes of its <see cref="Feature"/>.
/// </summary>
public interface IExternalWriteUndo
{
    /// <summary>Gets the journal feature this reverts, for example <c>monitored</c>.</summary>
    string Feature { get; }

    /// <summary>Reverts <paramref name="writes"/> (newest first) of run <paramref name="runId"/>, journaling each revert in run <paramref name="undoRunId"/>.</summary>
    Task<ExternalUndoResult> UndoAsync(long runId, long undoRunId, IReadOnlyList<RunWrite> writes, CancellationToken cancellationToken);
}

/// <summary>What reverting some writes did: how many were reverted, skipped (with why) and failed (with the last error).</summary>
public sealed record ExternalUndoResult(int Written, IReadOnlyDictionary<string, int> Skipped, int Failed, string? Error);
