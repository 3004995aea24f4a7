namespace Marquee.Simulators.Ntfy;

/// <summary>Every setting of the ntfy simulator.</summary>
public sealed record NtfySimulatorOptions
{
    /// <summary>Port; 0 picks a free one.</summary>
    public int Port { get; init; }

    public string Host { get; init; } = "127.0.0.1";

    /// <summary>Access tokens accepted as <c>Authorization: Bearer</c>; with users, publishing needs one of them.</summary>
    public IReadOnlyList<string> Tokens { get; init; } = [];

    /// <summary>Users accepted as <c>Authorization: Basic</c> (name → password).</summary>
    public IReadOnlyDictionary<string, string> Users { get; init; } = new Dictionary<string, string>();

    public int Seed { get; init; } = 7;

    public int LatencyMs { get; init; }

    public double FaultRate { get; init; }
}
