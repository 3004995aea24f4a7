using Microsoft.Extensions.Configuration;

namespace Marquee.Hosting;

/// <summary>
/// Builds configuration the same way for the server and the CLI: appsettings.json next to the program and in
/// the working folder, then environment variables (MARQUEE__SECTION__KEY, and MARQUEE_DATA), then command-line options.
/// </summary>
public static class MarqueeConfiguration
{
    public const string EnvironmentPrefix = "MARQUEE__";

    public static IConfigurationBuilder AddMarqueeSources(this IConfigurationBuilder builder, IDictionary<string, string?> commandLine, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        builder.AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true, reloadOnChange: false);
        var local = Path.GetFullPath("appsettings.json");
        if (!string.Equals(local, Path.Combine(AppContext.BaseDirectory, "appsettings.json"), StringComparison.Ordinal))
        {
            builder.AddJsonFile(local, optional: true, reloadOnChange: false);
        }

        builder.AddEnvironmentVariables(EnvironmentPrefix);
        var shortcuts = new Dictionary<string, string?>();
        if (environment("MARQUEE_DATA") is { Length: > 0 } data)
        {
            shortcuts[$"{MarqueeOptions.Section}:DataFolder"] = data;
        }

        if (environment("MARQUEE_CONFIG") is { Length: > 0 } config)
        {
            shortcuts[$"{MarqueeOptions.Section}:ConfigFile"] = config;
        }

        // Plex hosts (plex.tv, Discover, community) can be pointed at a simulator for tests and the demo.
        if (environment("MARQUEE_PLEXTV_URL") is { Length: > 0 } plexTv)
        {
            shortcuts[$"{MarqueeOptions.Section}:Plex:PlexTvUrl"] = plexTv;
        }

        if (environment("MARQUEE_DISCOVER_URL") is { Length: > 0 } discover)
        {
            shortcuts[$"{MarqueeOptions.Section}:Plex:DiscoverUrl"] = discover;
        }

        if (environment("MARQUEE_COMMUNITY_URL") is { Length: > 0 } community)
        {
            shortcuts[$"{MarqueeOptions.Section}:Plex:CommunityUrl"] = community;
        }

        builder.AddInMemoryCollection(shortcuts);
        builder.AddInMemoryCollection(commandLine);
        return builder;
    }

    public static MarqueeOptions Bind(IConfiguration configuration)
    {
        var options = new MarqueeOptions();
        configuration.GetSection(MarqueeOptions.Section).Bind(options);
        return options;
    }
}
