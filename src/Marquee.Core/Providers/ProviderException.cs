using System.Net;

namespace Marquee.Core.Providers;

/// <summary>A call to an external system failed. Carries the provider, the endpoint and the HTTP status when there was one.</summary>
public class ProviderException : Exception
{
    public ProviderException(string provider, HttpStatusCode? status, string message, Exception? inner = null)
        : base(message, inner)
    {
        Provider = provider;
        Status = status;
    }

    public string Provider { get; }

    public HttpStatusCode? Status { get; }

    public bool IsAuthFailure => Status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden;
}
