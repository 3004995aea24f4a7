using Marquee.Providers.Arr;
using Marquee.Providers.Jellyfin;
using Marquee.Providers.Notifications;
using Marquee.Providers.Outbox;
using Marquee.Providers.Plex;
using Marquee.Providers.Seerr;
using Marquee.Providers.Shoko;
using Marquee.Providers.Trakt;
using Microsoft.Extensions.DependencyInjection;

namespace Marquee.Providers;

public static class ProvidersRegistration
{
    /// <summary>Registers every provider explicitly; nothing is found by scanning.</summary>
    public static IServiceCollection AddProviders(this IServiceCollection services) =>
        services.AddPlex().AddJellyfin().AddShoko().AddTrakt().AddArr().AddSeerr().AddHttpOutbox().AddNotifyOutbox();
}
