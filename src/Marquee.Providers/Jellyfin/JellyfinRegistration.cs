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
        services.AddSingleton<IProviderDescriptor>(new JellyfinDescriptor("jellyfin", "Jellyfin", JellyfinCapabilities));
        services.AddSingleton<IProviderDescriptor>(new JellyfinDescriptor("emby", "Emby", EmbyCapabilities));
        services.AddJellyfinWebhooks();
        return services;
    }

    /// <summary>Jellyfin takes a watch date (<c>datePlayed</c>), a resume point and a 0–10 rating.</summary>
    public static ProviderCapabilities JellyfinCapabilities { get; } = new()
    {
        CanReadWatchState = true,
        CanWriteWatchState = true,
        CanBackdateWatched = true,
        CanRate = true,
        CanWriteProgress = true,
        MaxPageSize = 1000,
    };

    /// <summary>Emby 4.x takes a watch date (<c>DatePlayed</c>) but describes no write for resume points or numeric ratings.</summary>
    public static ProviderCapabilities EmbyCapabilities { get; } = JellyfinCapabilities with { CanRate = false, CanWriteProgress = false };

    /// <summary>Creates a provider for settings outside the store (tests, connection checks); <paramref name="kind"/> is <c>jellyfin</c> or <c>emby</c>.</summary>
    public static JellyfinProvider CreateJellyfinProvider(this IServiceProvider services, string kind, JellyfinSettings settings, ProviderContext context)
    {
        var options = services.GetService<IOptions<JellyfinOptions>>()?.Value ?? new JellyfinOptions();
        var time = services.GetService<TimeProvider>() ?? TimeProvider.System;
        var http = services.GetRequiredService<IHttpClientFactory>().CreateClient(JellyfinClient.HttpClientName);
        var limits = services.GetService<IOptions<ProviderHttpOptions>>()?.Value ?? new ProviderHttpOptions();
        var client = new JellyfinClient(http, settings, kind, context.ConnectionName, context.ConnectionId, options, context.Requests, time, limits.MaxResponseBytes);
        return new JellyfinProvider(client, options.PageSize, limits.TestTimeout, time);
    }

    private sealed class JellyfinDescriptor(string kind, string displayName, ProviderCapabilities capabilities) : ProviderDescriptor<JellyfinSettings>
    {
        public override string Kind => kind;

        public override string DisplayName => displayName;

        public override ProviderCapabilities Capabilities => capabilities;

        protected override IReadOnlyList<FieldProblem> Validate(JellyfinSettings settings) => JellyfinSettingsValidator.Validate(settings);

        protected override IProvider Create(JellyfinSettings settings, ProviderContext context) => context.Services.CreateJellyfinProvider(kind, settings, context);
    }
}
