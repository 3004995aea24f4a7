using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Marquee.Simulators.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;

namespace Marquee.Simulators.Discord;

/// <summary>Discord's execute-webhook endpoint and the <c>/_sim</c> control API (documented in README.md).</summary>
internal static class DiscordEndpoints
{
    /// <summary>The largest upload Discord takes in one message by default (25 MiB); past it, 413 with code 40005.</summary>
    public const long MaxUploadBytes = 25L * 1024 * 1024;

    // A body naming one key twice is refused as invalid JSON (Discord does not document which value would win), not
    // read until a lookup fails on it.
    private static readonly JsonDocumentOptions StrictJson = new() { AllowDuplicateProperties = false };

    public static void MapDiscord(this IEndpointRouteBuilder app, DiscordState state)
    {
        app.MapPost("/api/webhooks/{webhookId}/{token}", (HttpContext context, string webhookId, string token) => ExecuteAsync(context, state, webhookId, token));
    }

    public static void MapDiscordControl(this IEndpointRouteBuilder app, DiscordState state, SimHarness harness, Func<Uri> baseUri)
    {
        var sim = app.MapGroup("/_sim");
        sim.MapGet("/webhooks", () => state.Webhooks.Select(w => new { w.Id, w.Token, w.ChannelId, url = Url(baseUri(), w) }));
        sim.MapPost("/webhooks", (CreateWebhookRequest? r) => Guard(() =>
        {
            var hook = state.Add(r?.Id, r?.Token);
            return Results.Ok(new { hook.Id, hook.Token, hook.ChannelId, url = Url(baseUri(), hook) });
        }));
        sim.MapDelete("/webhooks/{webhookId}", (string webhookId) => state.Remove(webhookId) ? Results.Ok() : Results.NotFound(new { error = $"no webhook {webhookId}" }));
        sim.MapGet("/messages", () => state.Messages);
        sim.MapGet("/executions", () => state.Executions);
        sim.MapDelete("/messages", () =>
        {
            state.ClearMessages();
            return Results.Ok();
        });
        sim.MapGet("/ratelimit", () => new { requests = state.RateLimit, windowSeconds = state.RateWindow.TotalSeconds });
        sim.MapPut("/ratelimit", (RateLimitRequest r) => Guard(() =>
        {
            state.SetRateLimit(r.Requests, r.WindowSeconds);
            return Results.Ok();
        }));
        sim.MapHarness(harness);
    }

    public static Uri Url(Uri baseUri, DiscordWebhook hook) => new(baseUri, $"/api/webhooks/{hook.Id}/{hook.Token}");

    private static async Task<IResult> ExecuteAsync(HttpContext context, DiscordState state, string webhookId, string token)
    {
        var url = context.Request.Path + context.Request.QueryString;
        DiscordExecution Record(int status, JsonNode? json, string? error, IReadOnlyList<DiscordFile>? uploaded = null) => state.Record(webhookId, status, json, error, uploaded, url);

        if (state.Find(webhookId, token) is null)
        {
            Record(404, null, "Unknown Webhook");
            return Results.Json(new { message = "Unknown Webhook", code = 10015 }, statusCode: 404);
        }

        var (retryAfter, remaining) = state.Take(webhookId);
        var headers = context.Response.Headers;
        headers["X-RateLimit-Bucket"] = "sim-" + webhookId;
        if (state.RateLimit > 0)
        {
            headers["X-RateLimit-Limit"] = state.RateLimit.ToString(CultureInfo.InvariantCulture);
            headers["X-RateLimit-Remaining"] = remaining.ToString(CultureInfo.InvariantCulture);
            headers["X-RateLimit-Reset-After"] = state.RateWindow.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
        }

        if (retryAfter is { } wait)
        {
            var seconds = Math.Round(wait.TotalSeconds, 3);
            headers.RetryAfter = Math.Ceiling(wait.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            Record(429, null, "rate limited");
            return Results.Json(new { message = "You are being rate limited.", retry_after = seconds, global = false }, statusCode: 429);
        }

        JsonNode? body;
        IReadOnlyList<DiscordFile> files = [];
        try
        {
            if (context.Request.HasFormContentType)
            {
                if (context.Request.ContentLength > MaxUploadBytes)
                {
                    Record(413, null, "request entity too large");
                    return Results.Json(new { message = "Request entity too large", code = 40005 }, statusCode: 413);
                }

                (body, files) = await ReadFormAsync(context);
            }
            else
            {
                body = await JsonNode.ParseAsync(context.Request.Body, documentOptions: StrictJson, cancellationToken: context.RequestAborted);
            }
        }
        catch (JsonException ex)
        {
            Record(400, null, ex.Message);
            return Results.Json(new { message = "The request body contains invalid JSON.", code = 50109 }, statusCode: 400);
        }
        catch (Exception ex) when (ex is InvalidDataException or BadHttpRequestException)
        {
            // A multipart body over the limit, or one that is not multipart at all.
            var tooLarge = ex is BadHttpRequestException { StatusCode: 413 } || ex.Message.Contains("limit", StringComparison.OrdinalIgnoreCase);
            Record(tooLarge ? 413 : 400, null, ex.Message);
            return tooLarge
                ? Results.Json(new { message = "Request entity too large", code = 40005 }, statusCode: 413)
                : Results.Json(new { message = "Invalid Form Body", code = 50035, errors = new JsonObject() }, statusCode: 400);
        }

        if (body is not JsonObject message)
        {
            Record(400, body, "not an object");
            return Results.Json(new { message = "Invalid Form Body", code = 50035, errors = new JsonObject() }, statusCode: 400);
        }

        if (files.FirstOrDefault(f => f.Data.Length > state.Options.MaxFileBytes) is { } big)
        {
            Record(413, message, $"{big.FileName} is over {state.Options.MaxFileBytes} bytes");
            return Results.Json(new { message = "Request entity too large", code = 40005 }, statusCode: 413);
        }

        var problems = DiscordValidator.Validate(message, [.. files.Select(f => f.FileName)]).Where(p => files.Count == 0 || p.Code != "50006").ToList();
        if (problems.Any(p => p.Code == "50006"))
        {
            Record(400, message, "Cannot send an empty message");
            return Results.Json(new { message = "Cannot send an empty message", code = 50006 }, statusCode: 400);
        }

        if (problems.Count > 0)
        {
            Record(400, message, string.Join("; ", problems.Select(p => $"{p.Path}: {p.Message}")));
            return Results.Json(new { message = "Invalid Form Body", code = 50035, errors = DiscordValidator.Errors(problems) }, statusCode: 400);
        }

        var wantAnswer = string.Equals(context.Request.Query["wait"], "true", StringComparison.OrdinalIgnoreCase);
        var id = state.NextMessageId();
        var recorded = Record(wantAnswer ? 200 : 204, message, null, files);
        if (!wantAnswer)
        {
            return Results.NoContent();
        }

        var created = new JsonObject
        {
            ["id"] = id,
            ["type"] = 0,
            ["channel_id"] = "1200000000000000000",
            ["webhook_id"] = webhookId,
            ["content"] = message["content"]?.DeepClone() ?? string.Empty,
            ["embeds"] = message["embeds"]?.DeepClone() ?? new JsonArray(),
            ["timestamp"] = recorded.ReceivedAt.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffffzzz", CultureInfo.InvariantCulture),
        };
        return Results.Json(created, statusCode: 200);
    }

    /// <summary>
    /// A <c>multipart/form-data</c> execution as Discord's "uploading files" describes it: the message's JSON in the
    /// <c>payload_json</c> field (none: an empty message) and the files in <c>files[n]</c> parts, which an embed refers
    /// to as <c>attachment://name</c>. The whole body is bounded by <see cref="MaxUploadBytes"/>.
    /// </summary>
    private static async Task<(JsonNode? Body, IReadOnlyList<DiscordFile> Files)> ReadFormAsync(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = MaxUploadBytes, ValueLengthLimit = 1024 * 1024 }, context.RequestAborted);
        var body = form.TryGetValue("payload_json", out var json) && json.Count > 0 ? JsonNode.Parse(json[0] ?? string.Empty, documentOptions: StrictJson) : new JsonObject();
        var files = new List<DiscordFile>();
        foreach (var file in form.Files.Where(f => f.Name.StartsWith("files[", StringComparison.Ordinal)))
        {
            using var data = new MemoryStream();
            await file.CopyToAsync(data, context.RequestAborted);
            files.Add(new DiscordFile(file.Name, file.FileName, file.ContentType, data.ToArray()));
        }

        return (body, files);
    }

    private static IResult Guard(Func<IResult> action)
    {
        try
        {
            return action();
        }
        catch (ArgumentException e)
        {
            return Results.BadRequest(new { error = e.Message });
        }
    }

    internal sealed record CreateWebhookRequest(string? Id, string? Token);

    internal sealed record RateLimitRequest(int Requests, double WindowSeconds);
}
