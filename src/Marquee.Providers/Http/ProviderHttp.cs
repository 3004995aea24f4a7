using System.Net;
using Marquee.Core.Providers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Marquee.Providers.Http;

/// <summary>Settings shared by every provider's HTTP calls, bound from the <c>Marquee:Providers</c> configuration section.</summary>
public sealed class ProviderHttpOptions
{
    public const string Section = "Marquee:Providers";

    /// <summary>
    /// 128 MiB: a Plex movie listing with guids takes about 940 bytes per item in JSON (measured on the simulator, 5,000
    /// items), so a 100,000-item page is about 94 MB and fits with a margin, while an endless answer stops before the
    /// process passes 300 MB (an answer is held in chunks of its own size before it is parsed; see BodyBuffer).
    /// </summary>
    public const long DefaultMaxResponseBytes = 128L * 1024 * 1024;

    /// <summary>Gets or sets the largest answer one provider call may read, in bytes.</summary>
    public long MaxResponseBytes { get; set; } = DefaultMaxResponseBytes;

    /// <summary>Gets or sets how long a connection test may take in total (every request it makes, no retries).</summary>
    public TimeSpan TestTimeout { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>What every provider's HTTP clients share: the user agent, the handler (no automatic redirects) and test outcomes.</summary>
public static class ProviderHttp
{
    public const string UserAgent = "Marquee/1.0";

    /// <summary>
    /// Registers a named client for provider calls: no automatic redirects (a redirect would carry the token's header to
    /// whatever host it names; <see cref="ProviderHttpClient"/> follows same-origin reads itself) and no overall timeout
    /// (each attempt has its own, so a retry is never cut short). Answers read whole (<c>ReadAsStringAsync</c>) stop at the
    /// size cap too, or at <paramref name="maxBufferedBytes"/> when given (a client whose answers are always small).
    /// </summary>
    public static IHttpClientBuilder AddProviderHttpClient(this IServiceCollection services, string name, long? maxBufferedBytes = null)
    {
        services.AddOptions<ProviderHttpOptions>().BindConfiguration(ProviderHttpOptions.Section);
        return services.AddHttpClient(name, c =>
            {
                c.Timeout = Timeout.InfiniteTimeSpan;
                c.DefaultRequestHeaders.UserAgent.ParseAdd(UserAgent);
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false })
            .ConfigureHttpClient((services, c) => c.MaxResponseContentBufferSize = Math.Min(int.MaxValue, maxBufferedBytes ?? services.GetRequiredService<IOptions<ProviderHttpOptions>>().Value.MaxResponseBytes));
    }

    /// <summary>
    /// Turns a failed test into one problem on the right field (credentials for 401/403, the URL for the rest) whose
    /// message starts with the reason: refused, timed out, TLS, redirect, not a <paramref name="product"/> server, unauthorised.
    /// </summary>
    public static IReadOnlyList<FieldProblem> TestProblems(ProviderException ex, string urlField, string credentialField, string product)
    {
        var reason = ex.Failure switch
        {
            ProviderFailure.Refused => "refused",
            ProviderFailure.TimedOut => "timed out",
            ProviderFailure.Tls => "TLS",
            ProviderFailure.Redirect => "redirect",
            ProviderFailure.WrongContent => $"not a {product} server",
            ProviderFailure.Unauthorized => "unauthorised",
            ProviderFailure.TooLarge => "answer too large",
            ProviderFailure.Dropped => "connection dropped",
            _ when ex.Status == HttpStatusCode.NotFound => $"not a {product} server",
            _ => "server error",
        };
        return [new FieldProblem(ex.IsAuthFailure ? credentialField : urlField, $"{reason}: {ex.Message}")];
    }
}
