namespace Marquee.Hosting;

/// <summary>Where environment variables are read from, so the CLI and tests can supply their own.</summary>
public sealed record EnvironmentLookup(Func<string, string?> Get);
