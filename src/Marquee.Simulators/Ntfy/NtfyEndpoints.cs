using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Marquee.Simulators.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Marquee.Simulators.Ntfy;

/// <summary>ntfy's publish endpoints (JSON to the root, or body and headers to a topic) and the <c>/_sim</c> control API.</summary>
internal static partial class NtfyEndpoints
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static void MapNtfy(this IEndpointRouteBuilder app, NtfyState state)
    {
        app.MapPost("/", (Func<HttpContext, Task<IResult>>)(context => PublishJsonAsync(context, state)));
        app.MapPost("/{topic}", (HttpContext context, string topic) => PublishBodyAsync(context, state, topic));
        app.MapPut("/{topic}", (HttpContext context, string topic) => PublishBodyAsync(context, state, topic));
    }

    public static void MapNtfyControl(this IEndpointRouteBuilder app, NtfyState state, SimHarness harness)
    {
        var sim = app.MapGroup("/_sim");
        sim.MapGet("/messages", (string? topic) => state.Messages.Where(m => topic is null || m.Topic == topic));
        sim.MapDelete("/messages", () =>
        {
            state.Clear();
            return Results.Ok();
        });
        sim.MapPut("/auth", (AuthRequest r) =>
        {
            state.SetAuth(r.Tokens, r.Users);
            return Results.Ok();
        });
        sim.MapHarness(harness);
    }

    private static async Task<IResult> PublishJsonAsync(HttpContext context, NtfyState state)
    {
        if (Authorize(context, state) is { } refused)
        {
            return refused;
        }

        JsonPublish? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync<JsonPublish>(context.Request.Body, Json, context.RequestAborted);
        }
        catch (JsonException)
        {
            return Error(400, 40017, "invalid request: request body must be message JSON");
        }

        if (request?.Topic is not { } topic || !TopicPattern().IsMatch(topic))
        {
            return Error(400, 40009, "invalid request: topic invalid");
        }

        if (request.Priority is { } p && p is < 1 or > 5)
        {
            return Error(400, 40007, "invalid request: priority invalid");
        }

        return Stored(state, context, topic, request.Title, request.Message ?? "triggered", request.Priority, request.Tags, request.Click, request.Icon, request.Markdown);
    }

    private static async Task<IResult> PublishBodyAsync(HttpContext context, NtfyState state, string topic)
    {
        if (Authorize(context, state) is { } refused)
        {
            return refused;
        }

        if (!TopicPattern().IsMatch(topic))
        {
            return Error(400, 40009, "invalid request: topic invalid");
        }

        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var headers = context.Request.Headers;
        string? Header(params string[] names) => names.Select(n => headers[n].ToString()).FirstOrDefault(v => v.Length > 0);
        int? priority = null;
        if (Header("X-Priority", "Priority", "prio", "p") is { } text)
        {
            priority = text switch
            {
                "min" or "1" => 1,
                "low" or "2" => 2,
                "default" or "3" => 3,
                "high" or "4" => 4,
                "max" or "urgent" or "5" => 5,
                _ => -1,
            };
            if (priority < 0)
            {
                return Error(400, 40007, "invalid request: priority invalid");
            }
        }

        var tags = Header("X-Tags", "Tags", "tag", "ta")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var markdown = Header("X-Markdown", "Markdown", "md") is { } md ? md is "yes" or "true" or "1" : (bool?)null;
        return Stored(state, context, topic, Header("X-Title", "Title", "t"), body.Length > 0 ? body : "triggered", priority, tags, Header("X-Click", "Click"), Header("X-Icon", "Icon"), markdown);
    }

    private static IResult Stored(NtfyState state, HttpContext context, string topic, string? title, string message, int? priority, IReadOnlyList<string>? tags, string? click, string? icon, bool? markdown)
    {
        var now = state.Clock.GetUtcNow().ToUnixTimeSeconds();
        var stored = state.Store(new NtfyMessage(
            Guid.NewGuid().ToString("N")[..10], now, now + (12 * 3600), "message", topic, title, message, priority, tags, click, icon, markdown, context.Request.Headers.Authorization.ToString() is { Length: > 0 } a ? a : null));
        return Results.Json(
            new
            {
                id = stored.Id,
                time = stored.Time,
                expires = stored.Expires,
                @event = stored.Event,
                topic = stored.Topic,
                title = stored.Title,
                message = stored.Message,
                priority = stored.Priority,
                tags = stored.Tags,
                click = stored.Click,
                content_type = markdown == true ? "text/markdown" : null,
            },
            new JsonSerializerOptions { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull });
    }

    // A protected server: no credentials → 403 (anonymous may not write); wrong credentials → 401.
    private static IResult? Authorize(HttpContext context, NtfyState state)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (header.Length == 0 && context.Request.Query["auth"].ToString() is { Length: > 0 } auth)
        {
            try
            {
                header = Encoding.UTF8.GetString(Convert.FromBase64String(auth));
            }
            catch (FormatException)
            {
                return Error(401, 40101, "unauthorized");
            }
        }

        if (header.Length == 0)
        {
            return state.AuthRequired ? Error(403, 40301, "forbidden") : null;
        }

        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return state.TokenValid(header[7..].Trim()) ? null : Error(401, 40101, "unauthorized");
        }

        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
                var colon = pair.IndexOf(':', StringComparison.Ordinal);
                return colon > 0 && state.UserValid(pair[..colon], pair[(colon + 1)..]) ? null : Error(401, 40101, "unauthorized");
            }
            catch (FormatException)
            {
                return Error(401, 40101, "unauthorized");
            }
        }

        return Error(401, 40101, "unauthorized");
    }

    private static IResult Error(int status, int code, string error) =>
        Results.Json(new { code, http = status, error, link = "https://ntfy.sh/docs/publish/" }, statusCode: status);

    [GeneratedRegex("^[-_A-Za-z0-9]{1,64}$")]
    private static partial Regex TopicPattern();

    internal sealed record JsonPublish(string? Topic, string? Message, string? Title, IReadOnlyList<string>? Tags, int? Priority, string? Click, string? Icon, bool? Markdown);

    internal sealed record AuthRequest(IReadOnlyList<string>? Tokens, Dictionary<string, string>? Users);
}
