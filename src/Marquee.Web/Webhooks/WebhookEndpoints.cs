using System.Security.Cryptography;
using System.Text.Json;
using System.Threading.RateLimiting;
using Marquee.Core.Webhooks;
using Marquee.Hosting.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Marquee.Web.Webhooks;

/// <summary>
/// Webhooks in (STYLE 4) from every sender of a registered <see cref="IWebhookFormat"/> (Plex, Jellyfin's Webhook
/// plugin, Emby, and whatever a provider adds): check the secret, read the body up to the
/// limit, check it is a webhook of that sender, store it in the inbox, and only then answer. A hosted
/// <see cref="InboxProcessor"/> drains the inbox.
/// </summary>
public static partial class WebhookEndpoints
{
    public const string RateLimitPolicy = "webhooks";

    private static readonly string[] KeptHeaders = ["Content-Type", "Content-Length", "User-Agent", "X-Forwarded-For"];

    public static IServiceCollection AddWebhooks(this IServiceCollection services)
    {
        services.AddSingleton<WebhookSecret>();
        services.AddHostedService(sp => sp.GetRequiredService<InboxProcessor>());
        services.AddSingleton<InboxProcessor>();
        services.AddHttpClient("plex-live");
        services.AddHostedService<Marquee.Core.Live.LiveEventSources>();
        services.AddSingleton<Marquee.Core.Live.LivePropagation>();
        services.AddSingleton<ILiveEventSink>(sp => sp.GetRequiredService<Marquee.Core.Live.LivePropagation>());
        services.AddHostedService(sp => sp.GetRequiredService<Marquee.Core.Live.LivePropagation>());
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(RateLimitPolicy, context =>
            {
                var options = context.RequestServices.GetRequiredService<IOptionsMonitor<WebhookOptions>>().CurrentValue.RateLimit;
                return RateLimitPartition.GetFixedWindowLimiter("webhooks", _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = Math.Max(1, options.PermitLimit),
                    Window = TimeSpan.FromSeconds(Math.Max(0.1, options.WindowSeconds)),
                    QueueLimit = Math.Max(0, options.QueueLimit),
                    QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                });
            });
        });
        return services;
    }

    public static RouteGroupBuilder MapWebhooks(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/webhooks").WithTags("Webhooks").RequireRateLimiting(RateLimitPolicy).DisableAntiforgery();
        var formats = app.ServiceProvider.GetRequiredService<WebhookFormats>();
        foreach (var sender in formats.Senders)
        {
            var kind = sender.Kind;
            var methods = formats.Find(kind)!.Methods;
            group.MapMethods($"/{kind}/{{secret}}", methods, (HttpContext context, string secret, CancellationToken ct) => ReceiveAsync(context, secret, kind, ct))
                .WithName($"{sender.DisplayName}Webhook");
            group.MapMethods($"/{kind}", methods, (HttpContext context, string? token, CancellationToken ct) => ReceiveAsync(context, token, kind, ct))
                .WithName($"{sender.DisplayName}WebhookWithToken");
        }

        var api = app.MapGroup("/api/webhooks").WithTags("Webhooks");
        api.MapGet("/deliveries", (DeliveryHistory history) => TypedResults.Ok(history.Snapshot()));
        api.MapGet("/status", async (IInboxStore store, CancellationToken ct) =>
        {
            var counts = await store.CountAsync(ct);
            return TypedResults.Ok(new WebhookStatusView(counts.ByStatus, counts.LiveEvents));
        });
        api.MapGet("/events", async (IInboxStore store, int? limit, CancellationToken ct) =>
            TypedResults.Ok(await store.ListEventsAsync(Math.Clamp(limit ?? 100, 1, 1000), ct)));
        return group;
    }

    /// <summary>
    /// One delivery from <paramref name="source"/> (a registered sender): the same steps for every sender; only how the
    /// payload is found in the body (Plex: a multipart part; Jellyfin and Emby: the JSON body) and read differs, and
    /// that is the sender's <see cref="IWebhookFormat"/>.
    /// </summary>
    private static async Task<Results<Ok, UnauthorizedHttpResult, ProblemHttpResult>> ReceiveAsync(HttpContext context, string? secret, string source, CancellationToken ct)
    {
        var services = context.RequestServices;
        if (!services.GetRequiredService<WebhookSecret>().Matches(secret))
        {
            return TypedResults.Unauthorized();
        }

        var options = services.GetRequiredService<IOptionsMonitor<WebhookOptions>>().CurrentValue;
        var limit = Math.Max(1024, options.MaxBodyBytes);
        if (context.Request.ContentLength > limit)
        {
            return TooLarge(context, limit);
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = limit;
        }

        byte[] body;
        try
        {
            body = await ReadCappedAsync(context.Request.Body, limit, ct);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge(context, limit);
        }
        catch (TooLargeException)
        {
            return TooLarge(context, limit);
        }

        var clock = services.GetRequiredService<TimeProvider>();
        var inbox = services.GetRequiredService<InboxAppender>();
        var history = services.GetRequiredService<DeliveryHistory>();
        var contentType = context.Request.ContentType;
        var headers = HeadersJson(context.Request);
        var receivedAt = clock.GetUtcNow();
        string? eventName = null;
        string? problem = null;
        byte[]? payload = null;
        var format = services.GetRequiredService<WebhookFormats>().Find(source)!;
        try
        {
            payload = await format.ReadPayloadAsync(contentType, body, ct);
            eventName = format.Validate(payload);
        }
        catch (WebhookFormatException ex)
        {
            problem = ex.Message;
        }

        var delivery = problem is null
            ? new InboxDelivery(0, source, receivedAt, "application/json", headers, payload!, Hash(payload!), InboxStatus.Pending, 0, null, null)
            : new InboxDelivery(0, source, receivedAt, contentType, headers, body, Hash(body), InboxStatus.Rejected, 0, receivedAt, problem);
        var id = await inbox.AddAsync(delivery, ct);
        var status = problem is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest;
        history.Add(new DeliverySummary(id, source, receivedAt, eventName, status, delivery.Status, problem, body.Length));
        if (problem is not null)
        {
            Log.Rejected(Logger(context), id, problem);
            return TypedResults.Problem(title: $"The body is not {format.Describe(source)}.", detail: problem, statusCode: StatusCodes.Status400BadRequest);
        }

        services.GetRequiredService<InboxSignal>().Notify();
        return TypedResults.Ok();
    }

    private static ProblemHttpResult TooLarge(HttpContext context, long limit)
    {
        // The rest of the body is not read: the connection is closed after the answer.
        context.Response.Headers.Connection = "close";
        return TypedResults.Problem(
            title: "The request body is too large.",
            detail: $"Webhook bodies are limited to {limit} bytes (Marquee:Webhooks:MaxBodyBytes).",
            statusCode: StatusCodes.Status413PayloadTooLarge);
    }

    private static async Task<byte[]> ReadCappedAsync(Stream body, long limit, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw new TooLargeException();
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static string Hash(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static string HeadersJson(HttpRequest request)
    {
        var kept = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in KeptHeaders)
        {
            if (request.Headers.TryGetValue(name, out var value))
            {
                kept[name] = value.ToString();
            }
        }

        return JsonSerializer.Serialize(kept);
    }

    private static ILogger Logger(HttpContext context) =>
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Marquee.Web.Webhooks");

    private sealed class TooLargeException : Exception
    {
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Webhook delivery {Id} rejected: {Problem}")]
        public static partial void Rejected(ILogger logger, long id, string problem);
    }
}

/// <summary>GET /api/webhooks/status: deliveries by status and the live events waiting.</summary>
public sealed record WebhookStatusView(IReadOnlyDictionary<string, long> Deliveries, long LiveEvents);
