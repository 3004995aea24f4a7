using Marquee.Core.Connections;
using Marquee.Core.Flows;
using Marquee.Core.Notifications;
using Marquee.Core.Outbox;
using Marquee.Core.Profiles;
using Marquee.Core.Storage;
using Marquee.Core.Sync;
using Marquee.Core.Webhooks;
using Marquee.Data.Stores;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Marquee.Data;

public static class DataRegistration
{
    /// <summary>Registers the stores over the given engine.</summary>
    public static IServiceCollection AddMarqueeData(this IServiceCollection services, IDatabaseProvider provider)
    {
        services.AddSingleton(provider);
        services.TryAddSingleton<IDatabase, Database>();
        services.TryAddSingleton<IStoreTransactions, StoreTransactions>();
        services.TryAddSingleton<IConnectionStore, ConnectionStore>();
        services.TryAddSingleton<IProfileStore, ProfileStore>();
        services.TryAddSingleton<IFlowStore, FlowStore>();
        services.TryAddSingleton<IInboxStore, InboxStore>();
        services.TryAddSingleton<IOutboxStore, OutboxStore>();
        services.TryAddSingleton<ILedgerStore, LedgerStore>();
        services.TryAddSingleton<IIdentityStore, IdentityStore>();
        services.TryAddSingleton<IFlowLeaseStore, FlowLeaseStore>();
        services.TryAddSingleton<IWatchlistBaselineStore, WatchlistBaselineStore>();
        services.TryAddSingleton<INotificationStore, NotificationStore>();
        services.TryAddSingleton<INotifyFeedStore, NotifyFeedStore>();
        services.TryAddSingleton<Core.Care.ICareStore, CareStore>();
        services.TryAddSingleton<RunStore>();
        services.TryAddSingleton<IRunStore>(s => s.GetRequiredService<RunStore>());
        services.TryAddSingleton<IConnectionStoreAccounts>(s => s.GetRequiredService<RunStore>());
        return services;
    }
}
