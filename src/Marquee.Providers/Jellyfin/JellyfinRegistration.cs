using Marquee.Core.Providers;
using Marquee.Providers.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Marquee.Providers.Jellyfin;

public static class JellyfinRegistration
{
    /// <summary>Registers Jellyfin and Emby, which share one API family.</summary>
    public static IServiceCollection AddJellyfin(this IServiceCollection services)
    {
        services.AddHttpClient(JellyfinClient.HttpClientName, c =>
        {
            c.Timeout = TimeSpan.FromSeconds(30);
            c.DefaultRequestHeaders.UserAgent.ParseAdd(ProviderHttp.UserAgent);
        });
        services.AddSingleton<IProviderDescriptor>(new JellyfinDescriptor("jellyfin", "Jellyfin"));
        services.AddSingleton<IProviderDescriptor>(new JellyfinDescriptor("emby", "Emby"));
        return services;
    }

    private sealed class JellyfinDescriptor(string kind, string displayName) : ProviderDescriptor<JellyfinSettings>
    {
        public override string Kind => kind;

        public override string DisplayName => displayName;

        public override ProviderCapabilities Capabilities { get; } = new()
        {
            CanReadWatchState = true,
            CanWriteWatchState = true,
            CanBackdateWatched = true,
            CanRate = true,
            CanWriteProgress = true,
            MaxPageSize = 1000,
        };

        protected override IReadOnlyList<FieldProblem> Validate(JellyfinSettings settings) => JellyfinSettingsValidator.Validate(settings);

        protected override IProvider Create(JellyfinSettings settings, ProviderContext context)
        {
            var http = context.Services.GetRequiredService<IHttpClientFactory>().CreateClient(JellyfinClient.HttpClientName);
            return new JellyfinProvider(new JellyfinClient(http, settings, kind));
        }
    }
}
