namespace Marquee.Core.Providers;

/// <summary>What a provider instance is created with besides its settings: the connection it serves, services, and where to count its requests.</summary>
public sealed record ProviderContext(long ConnectionId, string ConnectionName, IServiceProvider Services, RequestCounts Requests);
