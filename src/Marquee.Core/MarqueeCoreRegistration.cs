using Marquee.Core.Configuration;
using Marquee.Core.Connections;
using Marquee.Core.Flows;
using Marquee.Core.Live;
using Marquee.Core.Outbox;
using Marquee.Core.Profiles;
using Marquee.Core.Providers;
using Marquee.Core.Sync;
using Marquee.Core.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Marquee.Core;

public static class MarqueeCoreRegistration
{
    /// <summary>Registers the services every host (server, CLI, tests) shares. Stores and providers are added by their own projects.</summary>
    public static IServiceCollection AddMarqueeCore(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ProviderRegistry>();
        services.TryAddScoped<ConnectionService>();
        services.TryAddScoped<AccountCredentials>();
        services.TryAddScoped<ProfileService>();
        services.TryAddScoped<FlowService>();
        services.TryAddScoped<DeclarativeConfigApplier>();
        services.TryAddSingleton(SyncRules.Default);
        services.TryAddScoped<ProviderFactory>();
        services.TryAddScoped<ProfileMapper>();
        services.TryAddScoped<SyncExecutor>();
        services.TryAddScoped<WatchlistSync>();
        services.TryAddScoped<SyncService>();
        services.TryAddScoped<TargetedSync>();
        services.TryAddScoped<UndoService>();
        services.TryAddEnumerable(ServiceDescriptor.Scoped<IExternalWriteUndo, WatchlistUndo>());
        services.TryAddSingleton<FlowLocks>();
        services.TryAddSingleton<AccountListings>();
        services.TryAddScoped<RunSteps>();
        services.TryAddScoped<FlowRunner>();
        services.TryAddScoped<DeclarativeConfigExporter>();
        services.TryAddSingleton<WebhookFormats>();
        services.TryAddSingleton<DeliveryHistory>();
        services.TryAddSingleton<ServerDirectory>();
        services.TryAddSingleton<InboxSignal>();
        services.TryAddSingleton<InboxBacklog>();
        services.TryAddSingleton<InboxAppender>();
        services.TryAddSingleton<OutboxSignal>();
        services.TryAddSingleton<OutboxService>();
        services.TryAddSingleton<OutboxDispatcher>();
        services.TryAddSingleton<Notifications.NotificationTemplates>();
        services.TryAddSingleton<Notifications.NotificationService>();
        services.TryAddSingleton<Notifications.NotificationSink>();
        services.TryAddSingleton<Notifications.NotificationDeferral>();
        services.TryAddSingleton<Notifications.NotificationFeed>();
        services.TryAddSingleton<Notifications.MarqueeEvents>();
        services.TryAddSingleton<Notifications.SessionDigest>();
        if (!services.Any(d => d.ServiceType == typeof(Notifications.IMarqueeEventSink)))
        {
            services.AddSingleton<Notifications.IMarqueeEventSink>(sp => sp.GetRequiredService<Notifications.NotificationSink>());
        }
        services.TryAddSingleton<Care.SessionRuleService>();
        services.TryAddSingleton<Care.TrashService>();
        services.TryAddSingleton<Care.CareScheduler>();
        services.TryAddSingleton<Care.CareDeclarations>();
        services.TryAddSingleton<Labels.LabelRunState>();
        services.TryAddScoped<Labels.LabelSyncService>();
        services.TryAddSingleton<Labels.LabelScheduler>();
        return services;
    }
}
