using Marquee.Core;
using Marquee.Core.Jobs;
using Marquee.Core.Outbox;
using Marquee.Core.Storage;
using Marquee.Core.Webhooks;
using Marquee.Data;
using Marquee.Data.Sqlite;
using Marquee.Hosting.Security;
using Marquee.Providers;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Marquee.Hosting;

/// <summary>
/// The composition root shared by <c>marquee serve</c>, every other CLI command and the tests. It holds no HTTP endpoint or
/// middleware, so a command that does not serve runs without loading the web host.
/// </summary>
public static class MarqueeServices
{
    /// <param name="services">The services to add to.</param>
    /// <param name="configuration">Configuration from every source.</param>
    /// <param name="environment">Where <c>${NAME}</c> in marquee.yaml is looked up; the process environment when null.</param>
    public static IServiceCollection AddMarqueeServices(this IServiceCollection services, IConfiguration configuration, Func<string, string?>? environment = null)
    {
        services.AddSingleton(new EnvironmentLookup(environment ?? Environment.GetEnvironmentVariable));

        // Provider options (e.g. Marquee:Plex) bind from configuration; the web host registers it already, the CLI does not.
        services.TryAddSingleton(configuration);
        var options = MarqueeConfiguration.Bind(configuration);
        services.AddSingleton(options);
        services.Configure<WebhookOptions>(configuration.GetSection(WebhookOptions.Section));
        services.Configure<OutboxOptions>(configuration.GetSection(OutboxOptions.Section));

        // Out-of-range notification settings are an error at start (and at first use outside the server), not a silent 0.
        services.AddOptions<Marquee.Core.Notifications.NotificationOptions>().Bind(configuration.GetSection(Marquee.Core.Notifications.NotificationOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<Marquee.Core.Notifications.NotificationOptions>, Marquee.Core.Notifications.NotificationOptionsValidator>();
        services.Configure<SchedulerOptions>(configuration.GetSection(SchedulerOptions.Section));
        services.Configure<Marquee.Core.Care.CareOptions>(configuration.GetSection(Marquee.Core.Care.CareOptions.Section));
        services.AddMarqueeCore();
        services.AddProviders();

        var provider = options.Store.Engine.ToLowerInvariant() switch
        {
            "sqlite" => new SqliteDatabaseProvider(options.DataFolder, TimeSpan.FromSeconds(options.Store.BusyTimeoutSeconds)),
            var other => throw new StoreException($"Unknown store engine '{other}' in Marquee:Store:Engine; this build supports: sqlite."),
        };
        services.AddMarqueeData(provider);

        services.AddDataProtection()
            .SetApplicationName("Marquee")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(Path.GetFullPath(options.DataFolder), "keys")));
        services.AddSingleton<ISecretProtector, DataProtectionSecretProtector>();
        services.AddSingleton<ApiKey>();
        services.AddSingleton<MarqueeStartup>();

        // Keys live in the data folder; the framework warns that they are not encrypted by a second key, which
        // on Linux has no platform store to use. Folder permissions protect them (see README).
        services.AddLogging(logging => logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error));
        return services;
    }

    /// <summary>
    /// Keeps the webhook secret and the API key out of every log provider registered so far (see <see cref="RedactingLoggerProvider"/>);
    /// call it last. Needs <see cref="WebhookSecret"/> and <see cref="ApiKey"/> registered.
    /// </summary>
    public static IServiceCollection AddSecretRedaction(this IServiceCollection services)
    {
        RedactingLoggerProvider.Wrap(services);
        return services;
    }
}
