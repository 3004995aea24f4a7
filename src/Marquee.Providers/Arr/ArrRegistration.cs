using Marquee.Core.Outbox;
using Marquee.Core.Providers;
using Marquee.Core.Sync;
using Marquee.Core.Webhooks;
using Marquee.Providers.Arr.Unmonitor;
using Marquee.Providers.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Marquee.Providers.Arr;

public static class ArrRegistration
{
    /// <summary>Registers Radarr and Sonarr, which share one API family (<c>/api/v3</c>, <c>X-Api-Key</c>).</summary>
    public static IServiceCollection AddArr(this IServiceCollection services)
    {
        services.AddProviderHttpClient(ArrClient.HttpClientName);
        services.AddOptions<ArrOptions>().BindConfiguration(ArrOptions.Section);
        services.AddSingleton<IProviderDescriptor>(Radarr);
        services.AddSingleton<IProviderDescriptor>(Sonarr);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IWebhookFormat, ArrWebhookFormat>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IOutboxHandler, ArrUnmonitorHandler>());
        services.TryAddEnumerable(ServiceDescriptor.Scoped<IExternalWriteUndo, ArrUnmonitorUndo>());
        services.TryAddScoped<ArrUnmonitorPlanner>();
        services.TryAddSingleton<ArrUnmonitorSink>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ILiveEventSink, ArrUnmonitorSink>(sp => sp.GetRequiredService<ArrUnmonitorSink>()));
        services.TryAddSingleton<ArrUnmonitorCatchUp>();
        return services;
    }

    private static Descriptor<RadarrProvider> Radarr { get; } = new("radarr", "Radarr");

    private static Descriptor<SonarrProvider> Sonarr { get; } = new("sonarr", "Sonarr");

    private sealed class Descriptor<TProvider>(string kind, string displayName) : ProviderDescriptor<ArrSettings, TProvider>
        where TProvider : ArrProvider
    {
        public override string Kind => kind;

        public override string DisplayName => displayName;

        protected override IReadOnlyList<FieldProblem> Validate(ArrSettings settings) => ArrSettingsValidator.Validate(settings, kind);

        protected override TProvider CreateProvider(ArrSettings settings, ProviderContext context)
        {
            var services = context.Services;
            var options = services.GetService<IOptions<ArrOptions>>()?.Value ?? new ArrOptions();
            var time = services.GetService<TimeProvider>() ?? TimeProvider.System;
            var limits = services.GetService<IOptions<ProviderHttpOptions>>()?.Value ?? new ProviderHttpOptions();
            var http = services.GetRequiredService<IHttpClientFactory>().CreateClient(ArrClient.HttpClientName);
            var client = new ArrClient(http, settings, kind, context.ConnectionName, options, context.Requests, time, limits.MaxResponseBytes);
            return kind == "sonarr"
                ? (TProvider)(ArrProvider)new SonarrProvider(client, limits.TestTimeout, time)
                : (TProvider)(ArrProvider)new RadarrProvider(client, limits.TestTimeout, time);
        }
    }
}
