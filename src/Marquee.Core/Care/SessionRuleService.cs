using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Marquee.Core.Connections;
using Marquee.Core.Notifications;
using Marquee.Core.Providers;
using Marquee.Core.Sync;
using Marquee.Core.Validation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Marquee.Core.Care;

/// <summary>The sessions of one connection as one evaluation read them, with what each matched and what was done.</summary>
public sealed record SessionEvaluation(string Connection, IReadOnlyList<SessionMatch> Sessions, IReadOnlyList<CareAction> Actions, int SessionReads, TimeSpan Cpu);

/// <summary>
/// Keeps the session rules and applies them. One evaluation reads each connection's sessions once (never per rule), matches
/// every rule against that read, and acts at most once per session: a stop, or a notification, is claimed in the store
/// before it is made, so a session matching two rules, or evaluated at the same moment by the event stream, a webhook,
/// the poller and the timer, is acted on once. Evaluations run one at a time.
/// </summary>
public sealed partial class SessionRuleService(
    IServiceScopeFactory scopes,
    ICareStore store,
    NotificationService notifications,
    IEnumerable<ISessionReader> sessionReaders,
    TimeProvider clock,
    ILogger<SessionRuleService> logger) : IDisposable
{
    public const string Kind = "session";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _pausedSince = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _firstMatched = new(StringComparer.Ordinal);

    public void Dispose() => _gate.Dispose();

    public async Task<IReadOnlyList<SessionRule>> ListAsync(CancellationToken cancellationToken) =>
        [.. (await store.ListSettingsAsync(Kind, cancellationToken)).Select(b => JsonSerializer.Deserialize<SessionRule>(b, Json)!)];

    public async Task<SessionRule> GetAsync(string name, CancellationToken cancellationToken) =>
        await store.GetSettingAsync(Kind, name, cancellationToken) is { } body
            ? JsonSerializer.Deserialize<SessionRule>(body, Json)!
            : throw new NotFoundException("session rule", name);

    /// <summary>Validates and stores a rule: its own values, then its connection, users and exemptions against the connection's accounts.</summary>
    public async Task<SessionRule> SaveAsync(SessionRule rule, CancellationToken cancellationToken)
    {
        var problems = rule.Validate().ToList();
        if (problems.Count == 0)
        {
            await using var scope = scopes.CreateAsyncScope();
            var connections = scope.ServiceProvider.GetRequiredService<ConnectionService>();
            var connection = await ResolveConnectionAsync(connections, rule.Connection, "connection", cancellationToken);
            var id = connection.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var accounts = await connections.ListAccountsAsync(id, cancellationToken);
            if (rule.Users.Concat(rule.ExemptUsers).Any() && accounts.Count == 0)
            {
                accounts = (await connections.RefreshAccountsAsync(id, cancellationToken)).Accounts;
            }

            foreach (var (field, users) in new[] { ("users", rule.Users), ("exemptUsers", rule.ExemptUsers) })
            {
                var unknown = users.Where(u => !accounts.Any(a => a.Name.Equals(u, StringComparison.OrdinalIgnoreCase) || a.ExternalId == u)).ToList();
                if (unknown.Count > 0)
                {
                    problems.Add(new FieldProblem(field, $"Connection '{connection.Name}' has no account {string.Join(", ", unknown.Select(u => $"'{u}'"))}; known: {string.Join(", ", accounts.Select(a => a.Name))}."));
                }
            }

            if (rule.Devices.Concat(rule.ExemptDevices).Any())
            {
                problems.AddRange(await CheckDevicesAsync(rule, cancellationToken));
            }
        }

        if (problems.Count > 0)
        {
            throw new ValidationException(problems);
        }

        await store.PutSettingAsync(Kind, rule.Name, JsonSerializer.Serialize(rule, Json), clock.GetUtcNow(), cancellationToken);
        return rule;
    }

    /// <summary>
    /// The devices a rule names must be known: a player Marquee has seen in an event (webhook, event stream, poller)
    /// or one playing now. When Marquee knows no device at all yet (nothing played since it was set up, and nothing
    /// plays now or the server cannot be read), the rule is stored and the log says its devices could not be checked.
    /// </summary>
    private async Task<IEnumerable<FieldProblem>> CheckDevicesAsync(SessionRule rule, CancellationToken cancellationToken)
    {
        var known = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var seen in await notifications.ListSeenAsync(cancellationToken))
        {
            if (seen.Kind == SeenEntry.Device)
            {
                known.Add(seen.Key);
            }
        }

        foreach (var reader in sessionReaders)
        {
            foreach (var session in await reader.ReadAsync(cancellationToken))
            {
                foreach (var device in new[] { session.Player, session.PlayerId })
                {
                    if (!string.IsNullOrEmpty(device))
                    {
                        known.Add(device);
                    }
                }
            }
        }

        if (known.Count == 0)
        {
            Log.DevicesUnchecked(logger, rule.Name);
            return [];
        }

        return new[] { ("devices", rule.Devices), ("exemptDevices", rule.ExemptDevices) }
            .Select(f => (f.Item1, Unknown: f.Item2.Where(d => !known.Contains(d)).ToList()))
            .Where(f => f.Unknown.Count > 0)
            .Select(f => new FieldProblem(f.Item1, $"No device {string.Join(", ", f.Unknown.Select(d => $"'{d}'"))} has been seen; known devices: {string.Join(", ", known.Take(30))}{(known.Count > 30 ? ", …" : string.Empty)}."))
            .ToList();
    }

    public async Task DeleteAsync(string name, CancellationToken cancellationToken)
    {
        if (!await store.DeleteSettingAsync(Kind, name, cancellationToken))
        {
            throw new NotFoundException("session rule", name);
        }
    }

    /// <summary>Reads the sessions of every connection that has rules (or <paramref name="connectionName"/>), once each, and applies the rules.</summary>
    public async Task<IReadOnlyList<SessionEvaluation>> EvaluateAsync(string trigger, string? connectionName, CancellationToken cancellationToken, bool act = true)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var rules = await ListAsync(cancellationToken);
            await using var scope = scopes.CreateAsyncScope();
            var connections = scope.ServiceProvider.GetRequiredService<ConnectionService>();
            var factory = scope.ServiceProvider.GetRequiredService<ProviderFactory>();
            var byConnection = new Dictionary<long, (StoredConnection Connection, List<SessionRule> Rules)>();
            if (connectionName is not null)
            {
                var only = await ResolveConnectionAsync(connections, connectionName, "connection", cancellationToken);
                byConnection[only.Id] = (only, []);
            }

            foreach (var rule in rules.Where(r => r.Enabled))
            {
                var connection = await ResolveConnectionAsync(connections, rule.Connection, "connection", cancellationToken);
                if (connectionName is null || byConnection.ContainsKey(connection.Id))
                {
                    if (!byConnection.TryGetValue(connection.Id, out var entry))
                    {
                        byConnection[connection.Id] = entry = (connection, []);
                    }

                    entry.Rules.Add(rule);
                }
            }

            if (byConnection.Count == 0 && connectionName is null)
            {
                var single = await ResolveConnectionAsync(connections, null, "connection", cancellationToken);
                byConnection[single.Id] = (single, []);
            }

            var results = new List<SessionEvaluation>();
            foreach (var (connection, connectionRules) in byConnection.Values)
            {
                var side = await factory.CreateAsync(connection.Id, cancellationToken);
                if (side.Provider is not ISessionManager sessions)
                {
                    throw ValidationException.For("connection", $"Connection '{connection.Name}' ({connection.Kind}) cannot manage sessions.");
                }

                results.Add(await EvaluateAsync(connection, sessions, connectionRules, trigger, act, cancellationToken));
            }

            return results;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Matches <paramref name="rules"/> against one read of <paramref name="sessions"/> and acts; the CPU time excludes the read and the actions.</summary>
    public async Task<SessionEvaluation> EvaluateAsync(StoredConnection connection, ISessionManager sessions, IReadOnlyList<SessionRule> rules, string trigger, bool act, CancellationToken cancellationToken)
    {
        IReadOnlyList<PlaybackSession> live;
        try
        {
            live = await sessions.ListSessionsAsync(cancellationToken);
        }
        catch (ProviderException ex) when (ex.IsAuthFailure)
        {
            throw new ProviderException(ex.Provider, ex.Status, $"The server of '{connection.Name}' refused to list its sessions ({(int)ex.Status!}): session rules need the server owner's token.", ex);
        }

        var now = clock.GetUtcNow();
        var cpu = Stopwatch.StartNew();
        var prefix = connection.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) + "|";
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in live)
        {
            var key = prefix + s.SessionId;
            seen.Add(key);
            if (s.State == "paused")
            {
                _pausedSince.TryAdd(key, now);
            }
            else
            {
                _pausedSince.TryRemove(key, out _);
            }
        }

        foreach (var gone in _pausedSince.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal) && !seen.Contains(k)).ToList())
        {
            _pausedSince.TryRemove(gone, out _);
        }

        var paused = _pausedSince.Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(p => p.Key[prefix.Length..], p => p.Value, StringComparer.Ordinal);
        var matches = SessionRuleMatcher.Match(rules, live, now, paused);
        cpu.Stop();
        var actions = new List<CareAction>();
        foreach (var match in act ? matches : [])
        {
            // The first rule that stops wins over notify-only rules; a session is acted on once whatever it matches.
            var rule = match.Rules.FirstOrDefault(r => r.Action == RuleActions.Stop) ?? (match.Rules.Count > 0 ? match.Rules[0] : null);
            var graceKey = prefix + match.Session.SessionId + "|" + rule?.Name;
            if (rule is null)
            {
                continue;
            }

            var first = _firstMatched.GetOrAdd(graceKey, now);
            if (now - first < TimeSpan.FromSeconds(rule.GraceSeconds))
            {
                continue;
            }

            if (await ActAsync(connection, sessions, match.Session, rule, now, trigger, cancellationToken) is { } action)
            {
                actions.Add(action);
            }
        }

        foreach (var stale in _firstMatched.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal) && !seen.Contains(string.Join('|', k.Split('|').Take(2)))).ToList())
        {
            _firstMatched.TryRemove(stale, out _);
        }

        return new SessionEvaluation(connection.Name, matches, actions, 1, cpu.Elapsed);
    }

    private async Task<CareAction?> ActAsync(StoredConnection connection, ISessionManager sessions, PlaybackSession session, SessionRule rule, DateTimeOffset now, string trigger, CancellationToken cancellationToken)
    {
        if (!await store.TryClaimAsync(connection.Id, $"session:{session.SessionId}:{rule.Action}", now, cancellationToken))
        {
            return null;
        }

        var outcome = rule.DryRun ? "dry-run" : "done";
        if (!rule.DryRun && rule.Action == RuleActions.Stop)
        {
            try
            {
                await sessions.TerminateSessionAsync(session.SessionId, rule.Message!, cancellationToken);
            }
            catch (ProviderException ex)
            {
                // Recorded, not retried: the claim stays, so no later evaluation tries this session again in a loop.
                outcome = "failed: " + TerminateError(ex);
                Log.TerminateFailed(logger, session.SessionId, rule.Name, outcome);
            }
        }

        var action = await store.AddActionAsync(
            new CareAction(0, now, Kind, connection.Name, session.SessionId, session.UserName, session.Player, session.Title, rule.Name, rule.Action, rule.Message, outcome),
            cancellationToken);
        Log.Acted(logger, rule.Name, rule.Action, session.UserName ?? "?", session.Player ?? "?", session.Title, outcome, trigger);
        await NotifyAsync(action, cancellationToken);
        return action;
    }

    private static string TerminateError(ProviderException ex) => ex.Status switch
    {
        System.Net.HttpStatusCode.Unauthorized or System.Net.HttpStatusCode.Forbidden =>
            $"the server refused to stop the session ({(int)ex.Status}): only the owner's token can, and the server needs Plex Pass",
        System.Net.HttpStatusCode.NotFound => "the session had already ended (404)",
        _ => ex.Message,
    };

    private async Task NotifyAsync(CareAction action, CancellationToken cancellationToken)
    {
        var channels = (await notifications.ListAsync(cancellationToken)).Where(c => c.Enabled && c.Triggers.Contains(NotificationTriggers.SessionRule, StringComparer.Ordinal));
        foreach (var channel in channels)
        {
            var variables = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["user"] = action.User,
                ["player"] = action.Device,
                ["full_title"] = action.Title,
                ["server"] = action.Connection,
                ["reason"] = $"Rule {action.Rule} ({action.Action}) on {action.Title}{(action.Message is { } m ? $": \"{m}\"" : string.Empty)} ({action.Outcome}).",
            };
            await notifications.EnqueueAsync(channel, NotificationTriggers.SessionRule, variables, $"care:{action.Id}:{channel.Id}", action.At, cancellationToken);
        }
    }

    internal static async Task<StoredConnection> ResolveConnectionAsync(ConnectionService connections, string? name, string field, CancellationToken cancellationToken)
    {
        if (name is { Length: > 0 })
        {
            try
            {
                return await connections.FindAsync(name, cancellationToken);
            }
            catch (NotFoundException)
            {
                throw ValidationException.For(field, $"No connection named '{name}'.");
            }
        }

        var plex = (await connections.ListAsync(cancellationToken)).Where(c => c.Kind == "plex").ToList();
        return plex.Count == 1
            ? await connections.FindAsync(plex[0].Name, cancellationToken)
            : throw ValidationException.For(field, plex.Count == 0 ? "No Plex connection: add one first." : $"Several Plex connections ({string.Join(", ", plex.Select(c => c.Name))}): name one.");
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Session rule {Rule} ({Action}) matched {User} on {Device} playing {Title}: {Outcome} (evaluated on {Trigger})")]
        public static partial void Acted(ILogger logger, string rule, string action, string user, string device, string title, string outcome, string trigger);

        [LoggerMessage(90, LogLevel.Warning, "Session rule {Rule} names devices, but no device has been seen yet and none plays now: they could not be checked")]
        public static partial void DevicesUnchecked(ILogger logger, string rule);

        [LoggerMessage(2, LogLevel.Warning, "Stopping session {Session} for rule {Rule} failed: {Reason}")]
        public static partial void TerminateFailed(ILogger logger, string session, string rule, string reason);
    }
}
