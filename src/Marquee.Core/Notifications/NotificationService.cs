using System.Text.Json;
using Marquee.Core.Outbox;
using Marquee.Core.Providers;
using Marquee.Core.Validation;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Marquee.Core.Notifications;

/// <summary>Channels (checked, stored with their secrets encrypted) and rendering a notification into the outbox.</summary>
public sealed partial class NotificationService(
    INotificationStore store,
    INotifyFeedStore feed,
    NotificationTemplates templates,
    OutboxService outbox,
    IOptionsMonitor<NotificationOptions> options,
    TimeProvider clock,
    ILogger<NotificationService> logger)
{
    /// <summary>The outbox kind notifications are delivered as.</summary>
    public const string OutboxKind = "notify";

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, NotificationCondition?> _conditions = new(StringComparer.Ordinal);

    private static readonly HashSet<string> Methods = new(StringComparer.Ordinal) { "POST", "PUT", "PATCH", "GET", "DELETE" };

    internal static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);

    public NotificationOptions Options => options.CurrentValue;

    public Task<IReadOnlyList<NotificationChannel>> ListAsync(CancellationToken cancellationToken) => store.ListAsync(cancellationToken);

    public async Task<NotificationChannel> GetAsync(string idOrName, CancellationToken cancellationToken) =>
        (long.TryParse(idOrName, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) ? await store.GetAsync(id, cancellationToken) : null)
        ?? await store.FindAsync(idOrName, cancellationToken)
        ?? throw new NotFoundException("notification channel", idOrName);

    public async Task<NotificationChannel> CreateAsync(ChannelRequest request, CancellationToken cancellationToken)
    {
        var channel = await CheckAsync(request, null, cancellationToken);
        return await store.CreateAsync(channel, cancellationToken);
    }

    public async Task<NotificationChannel> UpdateAsync(string idOrName, ChannelRequest request, CancellationToken cancellationToken)
    {
        var existing = await GetAsync(idOrName, cancellationToken);
        var channel = await CheckAsync(request, existing, cancellationToken);
        return await store.UpdateAsync(channel, cancellationToken);
    }

    /// <summary>Creates or updates a channel by name (channels declared in marquee.yaml).</summary>
    public async Task<NotificationChannel> UpsertAsync(ChannelRequest request, CancellationToken cancellationToken) =>
        request.Name is { } name && await store.FindAsync(name, cancellationToken) is { } existing
            ? await store.UpdateAsync(await CheckAsync(request, existing, cancellationToken), cancellationToken)
            : await CreateAsync(request, cancellationToken);

    /// <summary>Makes the channel named in <paramref name="request"/> match it (marquee.yaml); returns "created", "updated", or null when it matched already.</summary>
    public async Task<string?> ApplyAsync(ChannelRequest request, CancellationToken cancellationToken)
    {
        if (request.Name is not { } name || await store.FindAsync(name, cancellationToken) is not { } existing)
        {
            await CreateAsync(request, cancellationToken);
            return "created";
        }

        var wanted = await CheckAsync(request, existing, cancellationToken);
        if (Same(wanted, existing))
        {
            return null;
        }

        await store.UpdateAsync(wanted, cancellationToken);
        return "updated";
    }

    private static bool Same(NotificationChannel a, NotificationChannel b) =>
        a.Name == b.Name && a.Kind == b.Kind && a.Secrets.Url == b.Secrets.Url && a.Secrets.Secret == b.Secrets.Secret && a.Method == b.Method
        && a.Enabled == b.Enabled && a.Settings == b.Settings && a.Triggers.SequenceEqual(b.Triggers, StringComparer.Ordinal) && SameMap(a.Templates, b.Templates) && SameMap(a.Secrets.Headers, b.Secrets.Headers);

    private static bool SameMap(IReadOnlyDictionary<string, string>? a, IReadOnlyDictionary<string, string>? b) =>
        (a?.Count ?? 0) == (b?.Count ?? 0) && (a ?? new Dictionary<string, string>()).All(p => b is not null && b.TryGetValue(p.Key, out var v) && v == p.Value);

    /// <summary>The users and devices notifications have seen, with their notify switch.</summary>
    public Task<IReadOnlyList<SeenEntry>> ListSeenAsync(CancellationToken cancellationToken) => feed.ListSeenAsync(cancellationToken);

    /// <summary>Turns notifications of a seen user (account id or name) or device (player name) on or off.</summary>
    public async Task<SeenEntry> SetNotifyAsync(string kind, string key, bool notify, CancellationToken cancellationToken)
    {
        if (kind is not (SeenEntry.User or SeenEntry.Device))
        {
            throw ValidationException.For("kind", $"'{kind}' is neither user nor device.");
        }

        var seen = await feed.ListSeenAsync(cancellationToken);
        var entry = seen.FirstOrDefault(e => e.Kind == kind && e.Key == key)
            ?? seen.FirstOrDefault(e => e.Kind == kind && string.Equals(e.Name ?? e.Key, key, StringComparison.OrdinalIgnoreCase))
            ?? throw ValidationException.For("key", $"No {kind} '{key}' has been seen; seen: {string.Join(", ", seen.Where(e => e.Kind == kind).Select(e => e.Name is null ? e.Key : $"{e.Name} ({e.Key})").DefaultIfEmpty("none yet"))}.");
        await feed.SetNotifyAsync(kind, entry.Key, notify, cancellationToken);
        return entry with { Notify = notify };
    }

    public async Task DeleteAsync(string idOrName, CancellationToken cancellationToken)
    {
        var channel = await GetAsync(idOrName, cancellationToken);
        await store.DeleteAsync(channel.Id, cancellationToken);
    }

    /// <summary>Renders a message for one channel and puts it in the outbox; a failing template falls back to the default and says why.</summary>
    public async Task<OutboxMessage> EnqueueAsync(NotificationChannel channel, string trigger, IReadOnlyDictionary<string, object?> variables, string idempotencyKey, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var payload = await RenderPayloadAsync(channel, trigger, variables, at, cancellationToken);
        return await EnqueueRenderedAsync(channel, payload, idempotencyKey, null, cancellationToken);
    }

    /// <summary>
    /// Puts an already rendered message in the outbox (inside the caller's transaction, when it has one). Messages about
    /// one subject (a playback, an item, a connection) share <paramref name="subject"/> and reach the channel in order;
    /// those about others may be sent beside them. Without one, the channel's messages without a subject go in order.
    /// </summary>
    public async Task<OutboxMessage> EnqueueRenderedAsync(NotificationChannel channel, JsonElement payload, string idempotencyKey, string? subject, CancellationToken cancellationToken)
    {
        var lane = subject is { Length: > OutboxService.MaxKeyLength } ? subject[..OutboxService.MaxKeyLength] : subject;
        var (message, _) = await outbox.EnqueueAsync(OutboxKind, idempotencyKey, payload, $"notify:{channel.Id}", null, lane, cancellationToken);
        return message;
    }

    /// <summary>Whether the channel's condition holds for a message (a channel without one takes every message).</summary>
    public bool Allows(NotificationChannel channel, IReadOnlyDictionary<string, object?> variables)
    {
        if (channel.Settings.Condition is not { } text)
        {
            return true;
        }

        // Checked when saved; a condition stored by an older version that no longer reads lets everything through.
        var condition = _conditions.GetOrAdd(text, t => NotificationCondition.Check(t) is null ? NotificationCondition.Parse(t) : null);
        return condition?.Matches(WithDisplayName(variables)) != false;
    }

    /// <summary>The variables with the user's display name from <see cref="NotificationOptions.DisplayNames"/> (by account name or id), when it has one.</summary>
    public IReadOnlyDictionary<string, object?> WithDisplayName(IReadOnlyDictionary<string, object?> variables)
    {
        var names = Options.DisplayNames;
        if (names.Count == 0)
        {
            return variables;
        }

        foreach (var key in new[] { variables.GetValueOrDefault("user") as string, variables.GetValueOrDefault("account_id") as string })
        {
            if (key is { Length: > 0 } && names.FirstOrDefault(p => string.Equals(p.Key, key, StringComparison.OrdinalIgnoreCase)).Value is { Length: > 0 } display)
            {
                return new Dictionary<string, object?>(variables, StringComparer.Ordinal) { ["user"] = display };
            }
        }

        return variables;
    }

    /// <summary>
    /// Renders the message of <paramref name="trigger"/> for one channel into a <c>notify</c> payload; <paramref name="poster"/>,
    /// the item's poster, is kept in it for a Discord channel that shows posters.
    /// </summary>
    public async Task<JsonElement> RenderPayloadAsync(NotificationChannel channel, string trigger, IReadOnlyDictionary<string, object?> variables, DateTimeOffset at, CancellationToken cancellationToken, NotificationPoster? poster = null)
    {
        variables = WithDisplayName(variables);
        var style = NotificationTriggers.Styles[trigger];
        var title = await RenderAsync(channel, trigger, "title", style.Title, variables, cancellationToken);
        var body = await RenderAsync(channel, trigger, "body", style.Body, variables, cancellationToken);
        string? raw = null;
        if (channel.Kind == ChannelKinds.Webhook && Template(channel, trigger, "payload") is not null)
        {
            raw = await RenderAsync(channel, trigger, "payload", null, variables, cancellationToken);
        }

        var fields = new List<NotificationField>();
        void Add(string name, object? value)
        {
            if (value is not null && value.ToString() is { Length: > 0 } text)
            {
                fields.Add(new NotificationField(name, text));
            }
        }

        Add("User", variables.GetValueOrDefault("user"));
        Add("Player", variables.GetValueOrDefault("player"));
        Add("Platform", variables.GetValueOrDefault("platform"));
        if (variables.GetValueOrDefault("progress") is { } progress)
        {
            Add("Progress", $"{progress}%{(variables.GetValueOrDefault("duration") is { } d ? $" of {d}" : string.Empty)}");
        }

        Add("Stream", variables.GetValueOrDefault("stream"));
        Add("Library", variables.GetValueOrDefault("library"));
        Add("Server", variables.GetValueOrDefault("server"));
        var payload = new NotificationPayload(
            channel.Id, trigger, title, body, variables.GetValueOrDefault("plex_url") as string, variables.GetValueOrDefault("user") as string, fields, at, raw, channel.Kind == ChannelKinds.Discord && channel.Settings.Poster ? poster : null);
        return JsonSerializer.SerializeToElement(payload, Json);
    }

    /// <summary>Renders a sample of <paramref name="trigger"/> and puts it in the outbox for <c>marquee notify test</c>.</summary>
    public async Task<OutboxMessage> SendTestAsync(string idOrName, string? trigger, CancellationToken cancellationToken)
    {
        var channel = await GetAsync(idOrName, cancellationToken);
        trigger ??= NotificationTriggers.Play;
        if (!NotificationTriggers.IsKnown(trigger))
        {
            throw ValidationException.For("trigger", $"Unknown trigger '{trigger}'; known: {string.Join(", ", NotificationTriggers.All)}.");
        }

        return await EnqueueAsync(channel, trigger, NotificationVariables.Sample(trigger), $"notify-test:{channel.Id}:{trigger}:{Guid.NewGuid():N}", clock.GetUtcNow(), cancellationToken);
    }

    private static string? Template(NotificationChannel channel, string trigger, string part) =>
        channel.Templates.GetValueOrDefault($"{trigger}.{part}") ?? channel.Templates.GetValueOrDefault(part);

    private async Task<string> RenderAsync(NotificationChannel channel, string trigger, string part, string? fallback, IReadOnlyDictionary<string, object?> variables, CancellationToken cancellationToken)
    {
        var own = Template(channel, trigger, part);
        if (own is not null)
        {
            try
            {
                return await templates.RenderAsync(own, variables, cancellationToken);
            }
            catch (TemplateException ex)
            {
                Log.TemplateFailed(logger, channel.Name, trigger, part, ex.Message);
            }
        }

        if (fallback is null)
        {
            return JsonSerializer.Serialize(variables, Json);
        }

        try
        {
            return await templates.RenderAsync(fallback, variables, cancellationToken);
        }
        catch (TemplateException ex)
        {
            Log.TemplateFailed(logger, channel.Name, trigger, part + " (default)", ex.Message);
            return trigger;
        }
    }

    private async Task<NotificationChannel> CheckAsync(ChannelRequest request, NotificationChannel? existing, CancellationToken cancellationToken)
    {
        var problems = new List<FieldProblem>();
        var name = request.Name ?? existing?.Name;
        if (string.IsNullOrWhiteSpace(name) || name.Length > 100 || name.Any(char.IsControl))
        {
            problems.Add(new FieldProblem("name", "The name is required: 1 to 100 printable characters."));
        }

        var kind = request.Kind ?? existing?.Kind;
        if (kind is null || !ChannelKinds.All.Contains(kind, StringComparer.Ordinal))
        {
            problems.Add(new FieldProblem("kind", $"The kind must be one of {string.Join(", ", ChannelKinds.All)}."));
        }
        else if (existing is not null && kind != existing.Kind)
        {
            problems.Add(new FieldProblem("kind", "The kind of a channel cannot change; delete it and create another."));
        }

        var url = request.Url ?? existing?.Secrets.Url;
        if (kind == ChannelKinds.Apprise)
        {
            if (url is null || !System.Text.RegularExpressions.Regex.IsMatch(url, "^[A-Za-z][A-Za-z0-9+.-]{0,30}://[^\\s]+$", System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1)) || url.Length > 2000)
            {
                problems.Add(new FieldProblem("url", "An Apprise URL is scheme://… on one line, for example tgram://bottoken/ChatID or pover://user@token (see Apprise's list of services)."));
            }
        }
        else if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || uri.UserInfo.Length > 0)
        {
            problems.Add(new FieldProblem("url", "The URL must be an absolute http:// or https:// URL without user:password@ (put credentials in secret)."));
        }
        else if (kind == ChannelKinds.Discord && !DiscordUrl(uri))
        {
            problems.Add(new FieldProblem("url", "A Discord URL is a webhook URL: https://discord.com/api/webhooks/{id}/{token}."));
        }
        else if (kind == ChannelKinds.Ntfy && uri.Segments.Length != 2)
        {
            problems.Add(new FieldProblem("url", "An ntfy URL is the server and the topic: https://ntfy.sh/{topic}."));
        }

        var secret = request.Secret ?? existing?.Secrets.Secret;
        if (secret is not null && (secret.Length > 500 || secret.Any(char.IsControl)))
        {
            problems.Add(new FieldProblem("secret", "The secret is at most 500 printable characters."));
        }

        var triggers = request.Triggers ?? existing?.Triggers ?? [NotificationTriggers.Play, NotificationTriggers.Finished, NotificationTriggers.NewItem];
        foreach (var (trigger, i) in triggers.Select((t, i) => (t, i)))
        {
            if (!NotificationTriggers.IsKnown(trigger ?? string.Empty))
            {
                problems.Add(new FieldProblem($"triggers[{i}]", $"Unknown trigger '{trigger}'; known: {string.Join(", ", NotificationTriggers.All)}."));
            }
        }

        var templateSet = request.Templates ?? existing?.Templates ?? new Dictionary<string, string>();
        foreach (var (key, template) in templateSet)
        {
            var parts = key.Split('.');
            var part = parts[^1];
            if (parts.Length > 2 || part is not ("title" or "body" or "payload") || (parts.Length == 2 && !NotificationTriggers.IsKnown(parts[0])))
            {
                problems.Add(new FieldProblem($"templates.{key}", "A template key is title, body or payload, optionally after a trigger (play.title)."));
            }
            else if ((template is null ? "A template is text." : await templates.ValidateAsync(template, cancellationToken)) is { } why)
            {
                problems.Add(new FieldProblem($"templates.{key}", why));
            }
        }

        var method = (request.Method ?? existing?.Method ?? "POST").ToUpperInvariant();
        if (!Methods.Contains(method))
        {
            problems.Add(new FieldProblem("method", $"The method must be one of {string.Join(", ", Methods)}."));
        }

        var headers = request.Headers ?? existing?.Secrets.Headers;
        foreach (var (header, value) in headers ?? new Dictionary<string, string>())
        {
            if (header.Length == 0 || !header.All(c => c > 32 && c < 127 && c != ':') || value is null || value.Any(c => c is '\r' or '\n' or '\0'))
            {
                problems.Add(new FieldProblem($"headers.{header}", "A header is a plain name with a value on one line."));
            }
        }

        var condition = request.Condition is null ? existing?.Settings.Condition : request.Condition.Trim() is { Length: > 0 } text ? text : null;
        if (condition is not null && NotificationCondition.Check(condition) is { } bad)
        {
            problems.Add(new FieldProblem("condition", bad));
        }

        if (problems.Count > 0)
        {
            throw new ValidationException(problems);
        }

        var now = clock.GetUtcNow();
        var enabled = request.Enabled ?? existing?.Enabled ?? true;
        var status = enabled ? "ok" : existing?.Enabled == false && request.Enabled is null ? existing.Status : "disabled by hand";
        return new NotificationChannel(
            existing?.Id ?? 0, name!, kind!, new ChannelSecrets(url!, secret, headers), [.. triggers.Distinct(StringComparer.Ordinal)], templateSet, method, enabled, status, existing?.CreatedAt ?? now, now)
        {
            Settings = new ChannelSettings(request.IncludeActivity ?? existing?.Settings.IncludeActivity ?? false, condition, request.Poster ?? existing?.Settings.Poster ?? true),
        };
    }

    private static bool DiscordUrl(Uri uri)
    {
        var segments = uri.AbsolutePath.Trim('/').Split('/');
        return segments.Length == 4 && segments[0] == "api" && segments[1] == "webhooks" && segments[2].All(char.IsAsciiDigit) && segments[2].Length > 0 && segments[3].Length > 0;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "The {Part} template of notification channel {Channel} for {Trigger} failed ({Reason}); the default is used")]
        public static partial void TemplateFailed(ILogger logger, string channel, string trigger, string part, string reason);
    }
}
