using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Marquee.Core.Notifications;
using Marquee.Core.Outbox;
using Marquee.Core.Providers;
using Marquee.Providers.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Marquee.Providers.Notifications;

/// <summary>
/// Delivers <c>notify</c> outbox entries: reads the channel (its URL and secrets stay in the channel store, never in the
/// outbox) and sends the message as Discord, ntfy or a generic webhook expects it. 429 waits what the target asks
/// (Discord's <c>retry_after</c> or <c>Retry-After</c>); a Discord 404 means the webhook is gone and disables the channel.
/// A Discord message about an item carries its poster, read from the media server as the message is sent and uploaded
/// with it (<c>multipart/form-data</c>, the embed's thumbnail <c>attachment://poster.jpg</c>): the server's token never
/// leaves for Discord. A poster that cannot be read is left out, with the reason in the log; the message goes anyway.
/// </summary>
public sealed partial class NotifyOutboxHandler(
    IHttpClientFactory http,
    INotificationStore channels,
    IOptionsMonitor<OutboxOptions> options,
    IOptionsMonitor<NotificationOptions> notifications,
    TimeProvider clock,
    ILogger<NotifyOutboxHandler> logger,
    IEnumerable<IPosterReader>? posters = null) : IOutboxHandler
{
    public const string ClientName = "notify";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Kind => NotificationService.OutboxKind;

    public IReadOnlyList<FieldProblem> Validate(JsonElement payload)
    {
        NotificationPayload? message;
        try
        {
            message = payload.Deserialize<NotificationPayload>(Json);
        }
        catch (JsonException ex)
        {
            return [new FieldProblem("payload", $"Not a notification: {ex.Message}")];
        }

        var problems = new List<FieldProblem>();
        if (message is null || message.ChannelId <= 0)
        {
            problems.Add(new FieldProblem("payload.channelId", "The channel id is a positive number."));
        }

        if (message is not null && !NotificationTriggers.IsKnown(message.Trigger ?? string.Empty))
        {
            problems.Add(new FieldProblem("payload.trigger", $"Unknown trigger; known: {string.Join(", ", NotificationTriggers.All)}."));
        }

        if (message is not null && (message.Title is null || message.Body is null || message.Fields is null))
        {
            problems.Add(new FieldProblem("payload", "A notification has a title, a body and fields."));
        }

        return problems;
    }

    public string Target(JsonElement payload) => "notify:" + payload.GetProperty("channelId").GetInt64().ToString(CultureInfo.InvariantCulture);

    public string Describe(JsonElement payload) =>
        $"{payload.GetProperty("trigger").GetString()} to channel {payload.GetProperty("channelId").GetInt64().ToString(CultureInfo.InvariantCulture)}";

    public async Task<OutboxResult> DeliverAsync(OutboxMessage message, string payload, CancellationToken cancellationToken)
    {
        var notification = JsonSerializer.Deserialize<NotificationPayload>(payload, Json)!;
        var channel = await channels.GetAsync(notification.ChannelId, cancellationToken);
        if (channel is null)
        {
            return OutboxResult.Rejected($"channel {notification.ChannelId} was deleted");
        }

        if (!channel.Enabled)
        {
            return OutboxResult.Rejected($"channel {channel.Name} is disabled ({channel.Status})");
        }

        var maxAge = notifications.CurrentValue.MaxAgeMinutes;
        if (maxAge > 0 && clock.GetUtcNow() - message.CreatedAt is var age && age > TimeSpan.FromMinutes(maxAge))
        {
            Log.Stale(logger, notification.Trigger, channel.Name, age.TotalMinutes);
            return OutboxResult.Dropped($"the {notification.Trigger} notification waited {age.TotalMinutes.ToString("0.#", CultureInfo.InvariantCulture)} min, more than the {maxAge.ToString(CultureInfo.InvariantCulture)} min notifications:maxAgeMinutes allows");
        }

        if (channel.Kind == ChannelKinds.Apprise)
        {
            return await AppriseSender.SendAsync(
                notifications.CurrentValue.AppriseCommand is { Length: > 0 } command ? command : AppriseSender.DefaultCommand,
                channel.Secrets.Url,
                notification,
                TimeSpan.FromSeconds(Math.Max(1, options.CurrentValue.RequestTimeoutSeconds)),
                cancellationToken);
        }

        var poster = channel.Kind == ChannelKinds.Discord && channel.Settings.Poster && notification.Poster is { } wanted
            ? await ReadPosterAsync(wanted, channel.Name, notification.Trigger, cancellationToken)
            : null;
        using var request = Build(channel, notification, poster);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(Math.Max(0.1, options.CurrentValue.RequestTimeoutSeconds)));
        HttpResponseMessage response;
        try
        {
            response = await http.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return OutboxResult.Retry($"{channel.Kind} channel {channel.Name} did not answer in time");
        }
        catch (HttpRequestException ex)
        {
            return OutboxResult.Retry($"cannot reach {channel.Kind} channel {channel.Name}: {ex.HttpRequestError}");
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                return OutboxResult.Delivered(status);
            }

            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            var answer = $"{status} {response.ReasonPhrase}".TrimEnd();
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                return OutboxResult.Retry($"{channel.Name} is rate limited ({answer})", status, WaitAsked(response, text));
            }

            if (response.StatusCode is HttpStatusCode.RequestTimeout || status == 425 || status >= 500)
            {
                return OutboxResult.Retry(answer, status, WaitAsked(response, text));
            }

            if (channel.Kind == ChannelKinds.Discord && response.StatusCode == HttpStatusCode.NotFound)
            {
                var why = "disabled: Discord answered 404 Unknown Webhook (the webhook was deleted); set a new URL to enable it again";
                await channels.DisableAsync(channel.Id, why, clock.GetUtcNow(), CancellationToken.None);
                Log.Disabled(logger, channel.Name, why);
                return OutboxResult.Rejected($"channel {channel.Name} {why}", status);
            }

            return OutboxResult.Rejected($"{answer}: {Clip(text)}", status);
        }
    }

    /// <summary>The poster of a message, or null (logged with the reason) when it cannot be read within its bounds.</summary>
    private async Task<PosterRead?> ReadPosterAsync(NotificationPoster poster, string channel, string trigger, CancellationToken cancellationToken)
    {
        var reader = posters?.FirstOrDefault(r => r.Source == poster.Source);
        PosterRead read;
        try
        {
            read = reader is null ? PosterRead.Failed($"no reader for {poster.Source} posters") : await reader.ReadAsync(poster, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            read = PosterRead.Failed(ex.Message);
        }

        if (read.Data is null || read.Data.Length > IPosterReader.MaxBytes || read.ContentType is null || !IPosterReader.ContentTypes.Contains(read.ContentType))
        {
            Log.PosterLeftOut(logger, trigger, channel, read.Why ?? "not an image within the bounds");
            return null;
        }

        return read;
    }

    private static HttpRequestMessage Build(NotificationChannel channel, NotificationPayload message, PosterRead? poster)
    {
        var url = new Uri(channel.Secrets.Url);
        switch (channel.Kind)
        {
            case ChannelKinds.Discord:
                {
                    var body = DiscordMessage.Build(message, message.Fields.FirstOrDefault(f => f.Name == "Server")?.Value, poster?.FileName);
                    if (poster?.Data is not { } data)
                    {
                        return JsonRequest(HttpMethod.Post, url, body.ToJsonString());
                    }

                    // Discord's file upload: the message in payload_json, the file in files[0], named by the embed's attachment:// URL.
                    var file = new ByteArrayContent(data);
                    file.Headers.ContentType = new MediaTypeHeaderValue(poster.ContentType!);
                    var form = new MultipartFormDataContent
                    {
                        { new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"), "payload_json" },
                        { file, "files[0]", poster.FileName },
                    };
                    return new HttpRequestMessage(HttpMethod.Post, url) { Content = form };
                }

            case ChannelKinds.Ntfy:
                {
                    var style = NotificationTriggers.Styles[message.Trigger];
                    var body = new JsonObject
                    {
                        ["topic"] = url.Segments[^1].Trim('/'),
                        ["title"] = message.Title,
                        ["message"] = message.Body.Length > 0 ? message.Body : message.Title,
                        ["tags"] = new JsonArray([.. style.Tags.Select(t => (JsonNode)t)]),
                        ["priority"] = style.Priority,
                        ["markdown"] = true,
                    };
                    if (message.Url is { } click)
                    {
                        body["click"] = click;
                    }

                    var request = JsonRequest(HttpMethod.Post, new Uri(url.GetLeftPart(UriPartial.Authority) + "/"), body.ToJsonString());
                    if (channel.Secrets.Secret is { Length: > 0 } secret)
                    {
                        request.Headers.Authorization = secret.Contains(':', StringComparison.Ordinal)
                            ? new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(secret)))
                            : new AuthenticationHeaderValue("Bearer", secret);
                    }

                    return request;
                }

            default:
                {
                    var method = new HttpMethod(channel.Method);
                    var text = message.Raw ?? JsonSerializer.Serialize(message, Json);
                    var request = method == HttpMethod.Get ? new HttpRequestMessage(method, url) : JsonRequest(method, url, text);
                    if (channel.Secrets.Secret is { Length: > 0 } secret)
                    {
                        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
                    }

                    foreach (var (name, value) in channel.Secrets.Headers ?? new Dictionary<string, string>())
                    {
                        if (request.Content is not null && name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase))
                        {
                            request.Content.Headers.Remove(name);
                            request.Content.Headers.TryAddWithoutValidation(name, value);
                        }
                        else
                        {
                            request.Headers.Remove(name);
                            request.Headers.TryAddWithoutValidation(name, value);
                        }
                    }

                    return request;
                }
        }
    }

    private static HttpRequestMessage JsonRequest(HttpMethod method, Uri url, string body) =>
        new(method, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    // Discord puts the wait in the body (retry_after, seconds, fractional) and in Retry-After (whole seconds); the longer wins.
    private TimeSpan? WaitAsked(HttpResponseMessage response, string body)
    {
        var wait = RetryAfter.Wait(response.Headers.RetryAfter, clock.GetUtcNow());
        try
        {
            if (body.Length > 0 && JsonNode.Parse(body) is JsonObject json && json["retry_after"] is JsonValue value && value.TryGetValue<double>(out var seconds) && seconds >= 0)
            {
                var asked = TimeSpan.FromSeconds(seconds);
                wait = wait is { } w && w > asked ? w : asked;
            }
        }
        catch (JsonException)
        {
            // Not JSON: the header alone.
        }

        return wait;
    }

    private static string Clip(string text) => text.Length <= 300 ? text : text[..300];

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "Notification channel {Channel} {Why}")]
        public static partial void Disabled(ILogger logger, string channel, string why);

        [LoggerMessage(2, LogLevel.Warning, "Notification {Trigger} to channel {Channel} dropped: it waited {Minutes:0.#} min, more than notifications:maxAgeMinutes")]
        public static partial void Stale(ILogger logger, string trigger, string channel, double minutes);

        [LoggerMessage(3, LogLevel.Warning, "Notification {Trigger} to channel {Channel} goes without its poster: {Why}")]
        public static partial void PosterLeftOut(ILogger logger, string trigger, string channel, string why);
    }
}

public static class NotifyOutboxRegistration
{
    /// <summary>
    /// Registers the <c>notify</c> outbox kind and its client. The client logs nothing: a Discord webhook URL is its
    /// credential, and an ntfy topic is effectively a password.
    /// </summary>
    public static IServiceCollection AddNotifyOutbox(this IServiceCollection services)
    {
        services.AddHttpClient(NotifyOutboxHandler.ClientName, client =>
            {
                client.Timeout = Timeout.InfiniteTimeSpan;
                client.DefaultRequestHeaders.UserAgent.ParseAdd(Http.ProviderHttp.UserAgent);
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            .RemoveAllLoggers();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IOutboxHandler, NotifyOutboxHandler>());
        return services;
    }
}
