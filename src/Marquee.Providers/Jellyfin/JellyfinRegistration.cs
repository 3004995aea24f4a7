using Marquee.Core.Providers;
using Marquee.Providers.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Marquee.Providers.Jellyfin;

public static class JellyfinRegistration
{
    /// <summary>Registers Jellyfin and Emby, which share one API family.</summary>
    public static IServiceCollection AddJellyfin(this IServiceCollection services)
    {
        services.AddProviderHttpClient(JellyfinClient.HttpClientName);
        services.AddOptions<JellyfinOptions>().BindConfiguration(JellyfinOptions.Section);
        services.AddSingleton<IProviderDescriptor>(Jellyfin);
        services.AddSingleton<IProviderDescriptor>(Emby);
        services.AddJellyfinWebhooks();
        return services;
    }

    /// <summary>Gets Jellyfin's capabilities: a watch date (<c>datePlayed</c>), resume points and 0–10 ratings.</summary>
    public static ProviderCapabilities JellyfinCapabilities => Jellyfin.Capabilities;

    /// <summary>Gets Emby's capabilities: a watch date (<c>DatePlayed</c>), but no write for resume points or numeric ratings.</summary>
    public static ProviderCapabilities EmbyCapabilities => Emby.Capabilities;

    private static Descriptor<JellyfinProvider> Jellyfin { get; } = new("jellyfin", "Jellyfin");

    private static Descriptor<EmbyProvider> Emby { get; } = new("emby", "Emby");

    /// <summary>Creates a provider for settings outside the store (tests, connection checks); <paramref name="kind"/> is <c>jellyfin</c> or <c>emby</c>.</summary>
    public static JellyfinApiProvider CreateJellyfinProvider(this IServiceProvider services, string kind, JellyfinSettings settings, ProviderContext context)
    {
        var options = services.GetService<IOptions<JellyfinOptions>>()?.Value ?? new JellyfinOptions();
        var time = services.GetService<TimeProvider>() ?? TimeProvider.System;
        var http = services.GetRequiredService<IHttpClientFactory>().CreateClient(JellyfinClient.HttpClientName);
        var limits = services.GetService<IOptions<ProviderHttpOptions>>()?.Value ?? new ProviderHttpOptions();
        var client = new JellyfinClient(http, settings, kind, context.ConnectionName, context.ConnectionId, options, context.Requests, time, limits.MaxResponseBytes);
        return client.IsEmby
            ? new EmbyProvider(client, options.PageSize, limits.TestTimeout, time)
            : new JellyfinProvider(client, options.PageSize, limits.TestTimeout, time);
    }

    /// <summary>Jellyfin and Emby share settings and facts; the provider type (and so the capabilities) is each one's own.</summary>
    private sealed class Descriptor<TProvider>(string kind, string displayName) : ProviderDescriptor<JellyfinSettings, TProvider>
        where TProvider : JellyfinApiProvider
    {
        public override string Kind => kind;

        public override string DisplayName => displayName;

        /// <summary>Gets the facts both servers share: a watch can be written with its date.</summary>
        protected override ProviderFacts Facts { get; } = new() { CanBackdateWatched = true, MaxPageSize = 1000 };

        protected override IReadOnlyList<FieldProblem> Validate(JellyfinSettings settings) => JellyfinSettingsValidator.Validate(settings);

        protected override TProvider CreateProvider(JellyfinSettings settings, ProviderContext context) =>
            (TProvider)context.Services.CreateJellyfinProvider(kind, settings, context);
    }
}
