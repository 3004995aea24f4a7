using System.Globalization;
using Marquee.Core.Connections;
using Marquee.Core.Providers;
using Marquee.Providers.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Marquee.Providers.Trakt;

public static class TraktRegistration
{
    public const string HttpClientName = "trakt";

    public static IServiceCollection AddTrakt(this IServiceCollection services)
    {
        services.AddProviderHttpClient(HttpClientName);
        services.AddOptions<TraktOptions>().BindConfiguration(TraktOptions.Section);
        services.AddSingleton<IProviderDescriptor>(Descriptor);
        services.AddSingleton<TraktSignIns>();
        return services;
    }

    /// <summary>Gets Trakt's capabilities: watched with the original date, ratings with theirs, batched writes.</summary>
    public static ProviderCapabilities Capabilities => Descriptor.Capabilities;

    private static TraktDescriptor Descriptor { get; } = new();

    /// <summary>The app a connection signs in as, with the process-wide write window.</summary>
    public static TraktApp App(this IServiceProvider services, Uri url, string clientId, string clientSecret)
    {
        var options = services.GetService<IOptions<TraktOptions>>()?.Value ?? new TraktOptions();
        return new TraktApp(url, clientId, clientSecret, options.WriteInterval);
    }

    /// <summary>
    /// Creates a provider for stored settings. A token Trakt renews is written back to the connection (encrypted) before
    /// it is used, since Trakt's refresh tokens work only once.
    /// </summary>
    public static TraktProvider CreateTraktProvider(this IServiceProvider services, TraktSettings settings, ProviderContext context)
    {
        var time = services.GetService<TimeProvider>() ?? TimeProvider.System;
        var http = services.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName);
        var tokens = new TraktTokens(settings.AccessToken, settings.RefreshToken, settings.ExpiresAt ?? DateTimeOffset.MinValue);
        var client = new TraktClient(http, services.App(settings.Url, settings.ClientId, settings.ClientSecret), tokens, (fresh, ct) => SaveAsync(services, context, fresh, ct), time)
        {
            Counts = context.Requests,
        };
        return new TraktProvider(client);
    }

    private static async Task SaveAsync(IServiceProvider services, ProviderContext context, TraktTokens tokens, CancellationToken _)
    {
        if (context.ConnectionId <= 0)
        {
            return;
        }

        await using var scope = services.CreateAsyncScope();
        var connections = scope.ServiceProvider.GetRequiredService<ConnectionService>();
        var id = context.ConnectionId.ToString(CultureInfo.InvariantCulture);
        var current = (TraktSettings)await connections.GetSettingsAsync(id, CancellationToken.None);
        var next = current with { AccessToken = tokens.AccessToken, RefreshToken = tokens.RefreshToken, ExpiresAt = tokens.ExpiresAt };

        // Not cancelled with the run: a rotated refresh token that is not stored is lost for good.
        await connections.UpdateAsync(id, null, SettingsCodec.Write(next), CancellationToken.None);
    }

    private sealed class TraktDescriptor : ProviderDescriptor<TraktSettings, TraktProvider>
    {
        public override string Kind => "trakt";

        public override string DisplayName => "Trakt";

        /// <summary>Gets the facts: plays and ratings take their original dates; listings take up to 250 per page.</summary>
        protected override ProviderFacts Facts { get; } = new() { CanBackdateWatched = true, MaxPageSize = TraktApp.PageSize };

        protected override IReadOnlyList<FieldProblem> Validate(TraktSettings settings) => TraktSettingsValidator.Validate(settings);

        protected override TraktProvider CreateProvider(TraktSettings settings, ProviderContext context) => context.Services.CreateTraktProvider(settings, context);
    }
}
