using Marquee.Core.Connections;
using Marquee.Core.Live;
using Marquee.Core.Providers;
using Marquee.Core.Storage;
using Marquee.Providers.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Marquee.Providers.Plex;

public static class PlexRegistration
{
    public static IServiceCollection AddPlex(this IServiceCollection services)
    {
        services.AddProviderHttpClient(PlexClient.HttpClientName);

        // The live service's own calls (identity, sessions) carry the token too: no redirects, capped answers.
        // The live client reads sessions and identities (kilobytes); reading whole answers, it stops at 16 MiB, not the page cap.
        services.AddProviderHttpClient(PlexClient.LiveHttpClientName, 16L * 1024 * 1024);
        services.AddOptions<PlexOptions>().BindConfiguration(PlexOptions.Section);
        services.AddSingleton<IProviderDescriptor, PlexDescriptor>();
        services.AddTransient<PlexLogin>();
        services.AddPlexWebhooks();
        services.AddSingleton<PlexServerIdentity>();
        services.AddSingleton<IServerIdentity>(sp => sp.GetRequiredService<PlexServerIdentity>());
        services.AddSingleton<ILiveEventSource, PlexLiveEventSource>();
        services.AddSingleton<Marquee.Core.Notifications.ISessionReader, PlexSessionReader>();
        services.AddSingleton<Marquee.Core.Notifications.IPosterReader, PlexPosterReader>();
        return services;
    }

    /// <summary>Creates a provider for settings outside the store (login, tests); <paramref name="context"/> names the connection.</summary>
    public static PlexProvider CreatePlexProvider(this IServiceProvider services, PlexSettings settings, ProviderContext context)
    {
        var options = services.GetService<IOptions<PlexOptions>>()?.Value ?? new PlexOptions();
        var time = services.GetService<TimeProvider>() ?? TimeProvider.System;
        var http = services.GetRequiredService<IHttpClientFactory>().CreateClient(PlexClient.HttpClientName);
        var limits = services.GetService<IOptions<ProviderHttpOptions>>()?.Value ?? new ProviderHttpOptions();
        var client = new PlexClient(http, settings.Url, context.ConnectionName, settings.ClientIdentifier ?? options.ClientIdentifier, options, context.Requests, time, settings.MaxConcurrency, limits.MaxResponseBytes);
        var store = services.GetService<IConnectionStore>() is { } connections && services.GetService<ISecretProtector>() is { } secrets
            ? new AccountCredentials(connections, secrets)
            : null;
        return new PlexProvider(client, settings, new PlexAccounts(client, settings, context, store, time), options.PageSize, limits.TestTimeout, time);
    }

    private sealed class PlexDescriptor : ProviderDescriptor<PlexSettings, PlexProvider>
    {
        public override string Kind => "plex";

        public override string DisplayName => "Plex Media Server";

        /// <summary>Gets Plex's facts: a scrobble is always dated now.</summary>
        protected override ProviderFacts Facts { get; } = new() { CanBackdateWatched = false, MaxPageSize = 1000 };

        protected override IReadOnlyList<FieldProblem> Validate(PlexSettings settings) => PlexSettingsValidator.Validate(settings);

        protected override PlexProvider CreateProvider(PlexSettings settings, ProviderContext context) => context.Services.CreatePlexProvider(settings, context);
    }
}
