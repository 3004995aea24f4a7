using System.Net;
using System.Net.Sockets;
using Marquee.Core.Providers;

namespace Marquee.Providers.Http;

/// <summary>The one place where HTTP outcomes become <see cref="ProviderException"/>s that name the server and endpoint.</summary>
public static class ProviderHttp
{
    public const string UserAgent = "Marquee/1.0";

    public static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpRequestMessage request, string provider, CancellationToken cancellationToken)
    {
        var endpoint = $"{request.Method} {request.RequestUri?.GetLeftPart(UriPartial.Path)}";
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException ex) when (ex.InnerException is SocketException || ex.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError)
        {
            throw new ProviderException(provider, null, $"{endpoint}: cannot connect ({ex.Message})", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new ProviderException(provider, null, $"{endpoint}: {ex.Message}", ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ProviderException(provider, null, $"{endpoint}: no answer within {client.Timeout.TotalSeconds:0} s", ex);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var body = await ReadShortAsync(response, cancellationToken);
            var status = response.StatusCode;
            var message = status switch
            {
                HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => $"{endpoint}: {(int)status} {status}: the token or credentials were refused",
                HttpStatusCode.TooManyRequests => $"{endpoint}: 429 rate limited{RetryAfter(response)}",
                _ => $"{endpoint}: {(int)status} {status}{(body.Length > 0 ? ": " + body : string.Empty)}",
            };
            throw new ProviderException(provider, status, message);
        }
    }

    /// <summary>Turns a failed test into problems on the right field: credentials for 401/403, the URL for the rest.</summary>
    public static IReadOnlyList<FieldProblem> TestProblems(ProviderException ex, string urlField, string credentialField) =>
        [new FieldProblem(ex.IsAuthFailure ? credentialField : urlField, ex.Message)];

    private static string RetryAfter(HttpResponseMessage response) =>
        response.Headers.RetryAfter?.Delta is { } delta ? $", retry after {delta.TotalSeconds:0} s" : string.Empty;

    private static async Task<string> ReadShortAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            text = text.ReplaceLineEndings(" ").Trim();
            return text.Length > 200 ? text[..200] + "…" : text;
        }
        catch (HttpRequestException)
        {
            return string.Empty;
        }
    }
}
