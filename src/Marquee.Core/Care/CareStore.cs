namespace Marquee.Core.Care;

/// <summary>One thing a rule or the trash job did, or would have done in dry-run.</summary>
/// <param name="Id">Store id.</param>
/// <param name="At">When.</param>
/// <param name="Kind"><c>session</c> or <c>trash</c>.</param>
/// <param name="Connection">The Plex connection.</param>
/// <param name="Subject">The session id, or the library.</param>
/// <param name="User">Whose session.</param>
/// <param name="Device">On which player.</param>
/// <param name="Title">What was playing, or the library's title.</param>
/// <param name="Rule">The rule (or the trash setting).</param>
/// <param name="Action"><c>stop</c>, <c>notify</c>, <c>empty</c> or <c>refuse</c>.</param>
/// <param name="Message">The message shown to the viewer, or why the trash was not emptied.</param>
/// <param name="Outcome"><c>done</c>, <c>dry-run</c>, <c>refused</c> or <c>failed: …</c>.</param>
/// <param name="Count">The trash count read before emptying.</param>
public sealed record CareAction(
    long Id,
    DateTimeOffset At,
    string Kind,
    string Connection,
    string Subject,
    string? User,
    string? Device,
    string? Title,
    string Rule,
    string Action,
    string? Message,
    string Outcome,
    int? Count = null)
{
    public bool DryRun => Outcome == "dry-run";
}

/// <summary>Rules, trash settings, the actions taken and the claims that keep a session from being acted on twice.</summary>
public interface ICareStore
{
    Task<IReadOnlyList<string>> ListSettingsAsync(string kind, CancellationToken cancellationToken);

    Task<string?> GetSettingAsync(string kind, string name, CancellationToken cancellationToken);

    Task PutSettingAsync(string kind, string name, string body, DateTimeOffset at, CancellationToken cancellationToken);

    Task<bool> DeleteSettingAsync(string kind, string name, CancellationToken cancellationToken);

    /// <summary>Claims (connection, subject) for one action; false when it was already claimed (by another path or before a restart).</summary>
    Task<bool> TryClaimAsync(long connectionId, string subject, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Gives a claim back (the action failed and may be tried on a later evaluation).</summary>
    Task ReleaseAsync(long connectionId, string subject, CancellationToken cancellationToken);

    Task<CareAction> AddActionAsync(CareAction action, CancellationToken cancellationToken);

    Task<IReadOnlyList<CareAction>> ListActionsAsync(string? kind, int limit, CancellationToken cancellationToken);
}
