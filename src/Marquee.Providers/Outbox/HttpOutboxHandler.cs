using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Marquee.Core.Outbox;
using Marquee.Core.Providers;
using Marquee.Providers.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Marquee.Providers.Outbox;

/// <summary>
/// The payload of an <c>http</c> outbox delivery: one request, as notifications' webhook, Discord and ntfy channels
/// send it. The body is text; its content type comes from the <c>Content-Type</c> header, else application/json.
/// </summary>
public sealed record HttpDelivery(string Method, string Url, IReadOnlyDictionary<string, string>? Headers = null, string? Body = null);

/// <summary>
/// Delivers <c>http</c> outbox entries: one request per attempt, sent with the entry's key as <c>Idempotency-Key</c>.
/// 2xx is delivered; 408, 425, 429 and 5xx, a timeout or no connection are retried (a <c>Retry-After</c> in seconds or
/// as a date is honoured); any other answer (a 4xx, a redirect) is refused for good.
/// </summary>
public sealed class HttpOutboxHandler(IHttpClientFactory http, IOptionsMonitor<OutboxOptions> options, TimeProvider clock) : IOutboxHandler
{
    public const string KindName = "http";

    public const string ClientName = "outbox-http";

    private static readonly HashSet<string> Methods = new(StringComparer.Ordinal) { "GET", "POST", "PUT", "PATCH", "DELETE" };

    // Set by the transport or by the outbox itself; a payload may not choose them.
    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Content-Length", "Transfer-Encoding", "Connection", "Idempotency-Key", "Expect", "Upgrade", "TE", "Trailer", "Keep-Alive",
    };

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow };

    public string Kind => KindName;

    public IReadOnlyList<FieldProblem> Validate(JsonElement payload)
    {
        HttpDelivery? delivery;
        try
        {
            delivery = payload.Deserialize<HttpDelivery>(Json);
        }
        catch (JsonException ex)
        {
            var field = "payload" + (ex.Path is { Length: > 1 } path ? path[1..] : string.Empty);
            return [new FieldProblem(field, ex.Message.Contains("could not be mapped", StringComparison.Ordinal)
                ? $"'{field}' is not a known field; an http payload has method, url, headers and body."
                : $"'{field}' has the wrong type: method, url and body are text, headers an object of text values.")];
        }

        var problems = new List<FieldProblem>();
        if (delivery is null)
        {
            return [new FieldProblem("payload", "The payload must be a JSON object.")];
        }

        if (delivery.Method is null || !Methods.Contains(delivery.Method))
        {
            problems.Add(new FieldProblem("payload.method", $"The method must be one of {string.Join(", ", Methods)} (upper case)."));
        }

        if (!Uri.TryCreate(delivery.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps) || url.UserInfo.Length > 0)
        {
            problems.Add(new FieldProblem("payload.url", "The URL must be an absolute http:// or https:// URL without user:password@ (send credentials in a header)."));
        }

        foreach (var (name, value) in delivery.Headers ?? new Dictionary<string, string>())
        {
            if (name.Length == 0 || Reserved.Contains(name) || !name.All(c => c > 32 && c < 127 && c != ':'))
            {
                problems.Add(new FieldProblem($"payload.headers.{name}", $"'{name}' cannot be set: a header name must be a plain token and not one of {string.Join(", ", Reserved)}."));
            }
            else if (value is null || value.Any(c => c is '\r' or '\n' or '\0'))
            {
                problems.Add(new FieldProblem($"payload.headers.{name}", "A header value must be text on one line."));
            }
            else if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase) && !MediaTypeHeaderValue.TryParse(value, out _))
            {
                problems.Add(new FieldProblem($"payload.headers.{name}", $"'{value}' is not a media type."));
            }
        }

        if (delivery.Body is not null && delivery.Method is "GET")
        {
            problems.Add(new FieldProblem("payload.body", "A GET request has no body."));
        }

        return problems;
    }

    public string Target(JsonElement payload) => new Uri(payload.Deserialize<HttpDelivery>(Json)!.Url).GetLeftPart(UriPartial.Authority);

    public string Describe(JsonElement payload)
    {
        var delivery = payload.Deserialize<HttpDelivery>(Json)!;

        // The path and query are left out: a Discord webhook URL holds its token in the path.
        return $"{delivery.Method} {new Uri(delivery.Url).GetLeftPart(UriPartial.Authority)}/…";
    }

    public async Task<OutboxResult> DeliverAsync(OutboxMessage message, string payload, CancellationToken cancellationToken)
    {
        var delivery = JsonSerializer.Deserialize<HttpDelivery>(payload, Json)!;
        using var request = new HttpRequestMessage(new HttpMethod(delivery.Method), delivery.Url);
        if (delivery.Body is not null)
        {
            request.Content = new StringContent(delivery.Body, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json; charset=utf-8");
        }

        foreach (var (name, value) in delivery.Headers ?? new Dictionary<string, string>())
        {
            if (request.Content is not null && name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase))
            {
                request.Content.Headers.Remove(name);
                request.Content.Headers.TryAddWithoutValidation(name, value);
            }
            else
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        request.Headers.TryAddWithoutValidation("Idempotency-Key", message.IdempotencyKey);
        var client = http.CreateClient(ClientName);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(Math.Max(0.1, options.CurrentValue.RequestTimeoutSeconds)));
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return OutboxResult.Retry($"no answer within {options.CurrentValue.RequestTimeoutSeconds.ToString(CultureInfo.InvariantCulture)} s");
        }
        catch (HttpRequestException ex)
        {
            return OutboxResult.Retry($"cannot reach {message.Target}: {ex.HttpRequestError}");
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                return OutboxResult.Delivered(status);
            }

            var answer = $"{status} {response.ReasonPhrase}".TrimEnd();
            if (response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || status == 425 || status >= 500)
            {
                return OutboxResult.Retry(answer, status, RetryAfter.Wait(response.Headers.RetryAfter, clock.GetUtcNow()));
            }

            return OutboxResult.Rejected(answer, status);
        }
    }
}

public static class HttpOutboxRegistration
{
    /// <summary>Registers the <c>http</c> outbox kind and its client (no automatic redirects: a redirected POST would lose its body).</summary>
    public static IServiceCollection AddHttpOutbox(this IServiceCollection services)
    {
        services.AddHttpClient(HttpOutboxHandler.ClientName, client =>
            {
                client.Timeout = Timeout.InfiniteTimeSpan;
                client.DefaultRequestHeaders.UserAgent.ParseAdd(Http.ProviderHttp.UserAgent);
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IOutboxHandler, HttpOutboxHandler>());
        return services;
    }
}
