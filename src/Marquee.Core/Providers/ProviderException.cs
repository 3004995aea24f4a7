using System.Net;

namespace Marquee.Core.Providers;

/// <summary>A call to an external system failed. Carries the provider, the endpoint and the HTTP status when there was one.</summary>
public class ProviderException : Exception
{
    private readonly ProviderFailure? _failure;

    public ProviderException(string provider, HttpStatusCode? status, string message, Exception? inner = null)
        : base(message, inner)
    {
        Provider = provider;
        Status = status;
    }

    public string Provider { get; }

    public HttpStatusCode? Status { get; }

    public bool IsAuthFailure => Status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden;

    /// <summary>Gets the endpoint template that failed (for example <c>GET /library/sections/{id}/all</c>), when known.</summary>
    public string? Endpoint { get; init; }

    /// <summary>Gets how long the server asked to wait before the next call (429/503 <c>Retry-After</c>).</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Gets a value indicating whether the same call may succeed when repeated (5xx, 429, timeouts, dropped connections, truncated bodies).</summary>
    public bool IsTransient { get; init; }

    /// <summary>Gets why the call failed; <see cref="ProviderFailure.Unauthorized"/> for 401/403, <see cref="ProviderFailure.Http"/> for other statuses.</summary>
    public ProviderFailure Failure
    {
        get => _failure ?? (IsAuthFailure ? ProviderFailure.Unauthorized : ProviderFailure.Http);
        init => _failure = value;
    }
}
