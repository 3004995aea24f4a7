using Marquee.Core.Providers;
using Marquee.Providers.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Marquee.Providers.Shoko;

public static class ShokoRegistration
{
    public static IServiceCollection AddShoko(this IServiceCollection services)
    {
        services.AddProviderHttpClient(ShokoClient.HttpClientName);
        services.AddOptions<ShokoOptions>().BindConfiguration(ShokoOptions.Section);
        services.AddSingleton<IProviderDescriptor>(Descriptor);
        return services;
    }

    /// <summary>Gets Shoko's capabilities: watched with its date (5.x per file, 6.0 per episode) and resume points.</summary>
    public static ProviderCapabilities Capabilities => Descriptor.Capabilities;

    private static ShokoDescriptor Descriptor { get; } = new();

    /// <summary>Creates a provider for settings outside the store (tests, connection checks).</summary>
    public static ShokoProvider CreateShokoProvider(this IServiceProvider services, ShokoSettings settings, ProviderContext context)
    {
        var options = services.GetService<IOptions<ShokoOptions>>()?.Value ?? new ShokoOptions();
        var time = services.GetService<TimeProvider>() ?? TimeProvider.System;
        var http = services.GetRequiredService<IHttpClientFactory>().CreateClient(ShokoClient.HttpClientName);
        var limits = services.GetService<IOptions<ProviderHttpOptions>>()?.Value ?? new ProviderHttpOptions();
        var client = new ShokoClient(http, settings, context.ConnectionName, options, context.Requests, time, limits.MaxResponseBytes);
        return new ShokoProvider(client, options.PageSize, limits.TestTimeout, time, settings.FixedServerLine);
    }

    private sealed class ShokoDescriptor : ProviderDescriptor<ShokoSettings, ShokoProvider>
    {
        public override string Kind => "shoko";

        public override string DisplayName => "Shoko Server";

        /// <summary>Gets the facts: dated writes exist on both server lines; the series listing takes at most 100 per page.</summary>
        protected override ProviderFacts Facts { get; } = new() { CanBackdateWatched = true, MaxPageSize = 100 };

        protected override IReadOnlyList<FieldProblem> Validate(ShokoSettings settings) => ShokoSettingsValidator.Validate(settings);

        protected override ShokoProvider CreateProvider(ShokoSettings settings, ProviderContext context) => context.Services.CreateShokoProvider(settings, context);
    }
}
