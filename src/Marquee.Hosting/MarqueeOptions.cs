namespace Marquee.Hosting;

/// <summary>The "Marquee" configuration section. Environment: MARQUEE__MARQUEE__DATAFOLDER, or MARQUEE_DATA for the data folder.</summary>
public sealed class MarqueeOptions
{
    public const string Section = "Marquee";

    public const string DefaultUrls = "http://127.0.0.1:8754";

    /// <summary>Gets or sets the folder holding the database, the encryption keys and marquee.yaml.</summary>
    public string DataFolder { get; set; } = "./data";

    /// <summary>Gets or sets the declarative configuration file; when empty, marquee.yaml in the working folder and then in the data folder are tried.</summary>
    public string? ConfigFile { get; set; }

    public StoreOptions Store { get; set; } = new();

    public ServerOptions Server { get; set; } = new();

    public MetricsOptions Metrics { get; set; } = new();

    public UiOptions Ui { get; set; } = new();

    public MemoryOptions Memory { get; set; } = new();
}

/// <summary>The "Marquee:Memory" section.</summary>
public sealed class MemoryOptions
{
    /// <summary>
    /// Gets or sets how many megabytes the process allocates between two collections of the collector's young
    /// generation (<see cref="YoungGenerationPacer"/>); 0 leaves it to the runtime, which sizes it from the CPU's cache.
    /// </summary>
    public double YoungGenerationMB { get; set; } = YoungGenerationPacer.DefaultMegabytes;
}

public sealed class StoreOptions
{
    /// <summary>Gets or sets the engine; only "sqlite" ships today.</summary>
    public string Engine { get; set; } = "sqlite";

    /// <summary>Gets or sets how long a statement waits for another process's write lock before failing.</summary>
    public double BusyTimeoutSeconds { get; set; } = 10;
}

public sealed class ServerOptions
{
    public string Urls { get; set; } = MarqueeOptions.DefaultUrls;

    /// <summary>Gets or sets the largest request body the API accepts; larger ones get 413.</summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// Gets or sets further names the API answers to, separated by ';' (e.g. the public name behind a reverse proxy);
    /// <c>*.example.org</c> matches its subdomains, <c>*</c> any name. Loopback and the hosts of <see cref="Urls"/> are always allowed.
    /// </summary>
    public string? AllowedHosts { get; set; }

    /// <summary>Gets or sets a value indicating whether a reverse proxy with TLS is in front (no warning for a plain-HTTP bind on the network).</summary>
    public bool ReverseProxy { get; set; }
}

public sealed class MetricsOptions
{
    /// <summary>Gets or sets a value indicating whether /metrics needs the API key like /api (it is open by default for scrapers).</summary>
    public bool RequireApiKey { get; set; }
}

/// <summary>The "Marquee:Ui" section: the web UI's login and dashboard.</summary>
public sealed class UiOptions
{
    /// <summary>Gets or sets a value indicating whether requests from loopback and private-network addresses use the UI without logging in (off by default).</summary>
    public bool TrustLocalAddresses { get; set; }

    /// <summary>Gets or sets how many wrong passwords in a row lock the login.</summary>
    public int LockoutAttempts { get; set; } = 5;

    /// <summary>Gets or sets how long a locked login stays locked.</summary>
    public double LockoutMinutes { get; set; } = 15;

    /// <summary>Gets or sets how long a login lasts without a visit.</summary>
    public double SessionHours { get; set; } = 24 * 7;

    /// <summary>
    /// Gets or sets how long the dashboard shows a server's last read of its playing sessions (or why the read failed)
    /// before it reads them again; every page view in that time shares one request per server.
    /// </summary>
    public double NowPlayingCacheSeconds { get; set; } = 5;
}
