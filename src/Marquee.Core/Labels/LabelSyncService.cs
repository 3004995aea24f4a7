using System.Text.Json;
using System.Text.RegularExpressions;
using Marquee.Core.Care;
using Marquee.Core.Connections;
using Marquee.Core.Profiles;
using Marquee.Core.Providers;
using Marquee.Core.Sync;
using Marquee.Core.Validation;
using Microsoft.Extensions.Logging;

namespace Marquee.Core.Labels;

/// <summary>Where a label run stands: its phase and, while editing, how many of the items that change are done.</summary>
public sealed record LabelProgress(string Phase, int Done, int Total);

/// <summary>What outlives one scope: the one-run-at-a-time gate and where the current (or last) run stands.</summary>
public sealed class LabelRunState : IDisposable
{
    private volatile LabelProgress _progress = new("idle", 0, 0);

    public SemaphoreSlim Running { get; } = new(1, 1);

    public LabelProgress Progress
    {
        get => _progress;
        set => _progress = value;
    }

    public void Dispose() => Running.Dispose();
}

/// <summary>A source that could not be read: the user (or connection) and why.</summary>
public sealed record LabelSourceFailure(string Source, string Reason);

/// <summary>What a label run did: items listed, edits planned and made, failures, and the listing and edit requests it cost.</summary>
public sealed record LabelSyncReport(
    bool DryRun,
    int Items,
    int Users,
    IReadOnlyList<LabelEdit> Planned,
    int Edited,
    IReadOnlyList<string> Failed,
    IReadOnlyList<LabelSourceFailure> SourceFailures,
    IReadOnlyDictionary<string, long> PlexRequests,
    int Pending = 0,
    int PendingResolved = 0);

/// <summary>
/// Label sync (README "Label sync"): loads every source in bulk (Plex watchlists of the profiles' accounts, Seerr
/// requests, Sonarr/Radarr tags), lists the Plex movies and shows once per library, plans desired against current labels
/// and makes one locked edit per item that differs, with a concurrency limit. A source that fails for one user keeps that
/// user's labels; a request manager or tag instance that fails stops the run before anything is edited.
/// </summary>
public sealed class LabelSyncService(
    ICareStore store,
    ConnectionService connections,
    ProviderFactory providers,
    ProfileService profiles,
    TimeProvider clock,
    LabelRunState state,
    ILogger<LabelSyncService> logger)
{
    private const string SettingsKind = "labels";
    private const string SettingsName = "settings";
    private const string PendingName = "pending";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow };
    /// <summary>Gets where the current (or last) run stands.</summary>
    public LabelProgress Progress => state.Progress;

    public async Task<LabelSettings> GetSettingsAsync(CancellationToken cancellationToken)
    {
        var body = await store.GetSettingAsync(SettingsKind, SettingsName, cancellationToken);
        return body is null ? new LabelSettings() : JsonSerializer.Deserialize<LabelSettings>(body, Json) ?? new LabelSettings();
    }

    /// <summary>Checks and stores the settings; unknown or wrong-kind connections and bad values are a <see cref="ValidationException"/>.</summary>
    public async Task<LabelSettings> SaveSettingsAsync(LabelSettings settings, CancellationToken cancellationToken)
    {
        var problems = LabelSettings.Validate(settings).ToList();
        problems.AddRange(await CheckConnectionsAsync(settings, cancellationToken));
        if (problems.Count > 0)
        {
            throw new ValidationException(problems);
        }

        await store.PutSettingAsync(SettingsKind, SettingsName, JsonSerializer.Serialize(settings, Json), clock.GetUtcNow(), cancellationToken);
        return settings;
    }

    /// <summary>The pending queue: wants and tags whose title is not in Plex yet (expired ones included, marked by their date).</summary>
    public async Task<IReadOnlyList<LabelPending>> GetPendingAsync(CancellationToken cancellationToken)
    {
        var body = await store.GetSettingAsync(SettingsKind, PendingName, cancellationToken);
        return body is null ? [] : JsonSerializer.Deserialize<List<LabelPending>>(body, Json) ?? [];
    }

    /// <summary>Whether a pending entry's retry is due at <paramref name="now"/> (a run is then started for it).</summary>
    public async Task<bool> PendingDueAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        (await GetPendingAsync(cancellationToken)).Any(p => p.NextAttempt <= now && p.ExpiresAt > now);

    /// <summary>Runs a full sync (or, with <paramref name="dryRun"/>, only plans it). One run at a time.</summary>
    public Task<LabelSyncReport> SyncAsync(bool dryRun, Action<LabelProgress>? progress, CancellationToken cancellationToken) =>
        RunAsync(dryRun, removeAll: false, progress, cancellationToken);

    /// <summary>Takes every label starting with the prefix off every item.</summary>
    public Task<LabelSyncReport> RemoveAllAsync(bool dryRun, Action<LabelProgress>? progress, CancellationToken cancellationToken) =>
        RunAsync(dryRun, removeAll: true, progress, cancellationToken);

    private async Task<LabelSyncReport> RunAsync(bool dryRun, bool removeAll, Action<LabelProgress>? progress, CancellationToken cancellationToken)
    {
        await state.Running.WaitAsync(cancellationToken);
        try
        {
            var settings = await GetSettingsAsync(cancellationToken);
            var problems = LabelSettings.Validate(settings).Concat(await CheckConnectionsAsync(settings, cancellationToken)).ToList();
            if (problems.Count > 0)
            {
                throw new ValidationException(problems);
            }

            void Report(LabelProgress p)
            {
                state.Progress = p;
                progress?.Invoke(p);
            }

            var plexSide = await providers.CreateAsync((await PlexConnectionAsync(settings, cancellationToken)).Id, cancellationToken);
            var library = plexSide.Provider as ILabelLibrary ?? throw new InvalidOperationException($"Connection '{plexSide.Connection.Name}' cannot edit labels.");

            var failures = new List<LabelSourceFailure>();
            var inputs = new LabelInputs(new HashSet<string>(StringComparer.OrdinalIgnoreCase), new HashSet<string>(StringComparer.OrdinalIgnoreCase), [], []);
            if (!removeAll)
            {
                Report(new LabelProgress("sources", 0, 0));
                inputs = await ReadSourcesAsync(settings, plexSide, failures, cancellationToken);
            }

            Report(new LabelProgress("listing", 0, 0));
            var targets = await library.ListLabelTargetsAsync(cancellationToken);
            var plan = removeAll ? LabelPlanner.RemoveAll(settings, targets) : LabelPlanner.Plan(settings, targets, inputs);
            var failed = new List<string>();
            var done = 0;
            Report(new LabelProgress("editing", 0, plan.Count));
            if (!dryRun)
            {
                await Parallel.ForEachAsync(
                    plan,
                    new ParallelOptions { MaxDegreeOfParallelism = settings.Concurrency, CancellationToken = cancellationToken },
                    async (edit, ct) =>
                    {
                        try
                        {
                            await library.SetLabelsAsync(edit.Target, edit.Labels, edit.Removed, ct);
                        }
                        catch (ProviderException ex)
                        {
                            logger.LogWarning("Label edit of '{Title}' ({Key}) failed: {Reason}", edit.Target.Title, edit.Target.LocalKey, ex.Message);
                            lock (failed)
                            {
                                failed.Add($"{edit.Target.Title} ({edit.Target.LocalKey}): {ex.Message}");
                            }
                        }

                        Report(new LabelProgress("editing", Interlocked.Increment(ref done), plan.Count));
                    });
            }

            var pending = (Count: 0, Resolved: 0);
            if (!removeAll && !dryRun)
            {
                var now = clock.GetUtcNow();
                var change = LabelPendingQueue.Update(
                    await GetPendingAsync(cancellationToken), LabelPendingQueue.Unmatched(targets, inputs), inputs.FailedUsers, now, TimeSpan.FromDays(settings.PendingExpiryDays));
                await store.PutSettingAsync(SettingsKind, PendingName, JsonSerializer.Serialize(change.Queue, Json), now, cancellationToken);
                pending = (change.Queue.Count(p => p.ExpiresAt > now), change.Resolved);
            }

            Report(new LabelProgress("done", dryRun ? 0 : plan.Count - failed.Count, plan.Count));
            return new LabelSyncReport(
                dryRun, targets.Count, inputs.Users.Count, plan, dryRun ? 0 : plan.Count - failed.Count, failed, failures, plexSide.Requests.Snapshot(), pending.Count, pending.Resolved);
        }
        catch
        {
            state.Progress = state.Progress with { Phase = "failed" };
            throw;
        }
        finally
        {
            state.Running.Release();
        }
    }

    private async Task<LabelInputs> ReadSourcesAsync(LabelSettings settings, SyncSide plex, List<LabelSourceFailure> failures, CancellationToken cancellationToken)
    {
        // Users: the chosen profiles (all when none are named), labelled by alias or name, with their Plex accounts.
        var all = await profiles.ListAsync(cancellationToken);
        var chosen = settings.Profiles.Count == 0 ? all : [.. all.Where(p => settings.Profiles.Contains(p.Name, StringComparer.OrdinalIgnoreCase))];
        var links = await profiles.ListLinksAsync(null, cancellationToken);
        var users = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var failedUsers = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var accounts = new List<(string User, LinkedAccount Account)>();
        foreach (var profile in chosen)
        {
            var user = settings.Aliases.FirstOrDefault(a => string.Equals(a.Key, profile.Name, StringComparison.OrdinalIgnoreCase)).Value ?? profile.Name;
            users.Add(user);
            accounts.AddRange(links.Where(l => l.ProfileId == profile.Id && l.ConnectionId == plex.Connection.Id).Select(l => (user, l)));
        }

        var wants = new List<LabelClaim>();
        if (settings.Watchlists && plex.Provider is IWatchlist watchlist)
        {
            foreach (var (user, link) in accounts)
            {
                try
                {
                    var account = new ProviderAccount(link.ExternalId, link.AccountName, link.AccountKind);
                    var entries = link.AccountKind == Account.KindFriend && plex.Provider is IFriendWatchlists friends
                        ? await friends.ReadFriendWatchlistAsync(account, cancellationToken)
                        : await watchlist.ReadWatchlistAsync(account, cancellationToken);
                    if (entries.Count == 0 && link.AccountKind == Account.KindFriend)
                    {
                        // Plex answers an empty list for a hidden one too (WATCHLISTS.md 2.4): not a reason to remove labels.
                        throw new ProviderException("plex", null, "the list came back empty, which is also how Plex answers a list hidden from the owner; labels kept");
                    }

                    wants.AddRange(entries.Select(e => new LabelClaim(user, e.Type == "show", e.Ids, e.Title)));
                }
                catch (ProviderException ex)
                {
                    // Reported, and the user's labels stay: a failed read is not an empty watchlist.
                    failedUsers.Add(user);
                    failures.Add(new LabelSourceFailure($"watchlist of {user} ({link.AccountName})", ex.Message));
                    logger.LogWarning("Label sync: the watchlist of {User} ({Account}) could not be read: {Reason}", user, link.AccountName, ex.Message);
                }
            }
        }

        foreach (var name in settings.Seerr)
        {
            var side = await providers.CreateAsync((await connections.FindAsync(name, cancellationToken)).Id, cancellationToken);
            var requests = await ((IRequestSource)side.Provider).ReadRequestsAsync(cancellationToken);
            foreach (var request in requests.Where(r => r.IsWanted))
            {
                var owner = accounts.FirstOrDefault(a =>
                    (request.PlexId is { } id && a.Account.ExternalId == id.ToString(System.Globalization.CultureInfo.InvariantCulture))
                    || (request.PlexUsername is { } username && string.Equals(a.Account.AccountName, username, StringComparison.OrdinalIgnoreCase)));
                if (owner.User is null)
                {
                    continue;
                }

                var ids = new List<Items.ExternalId> { new(Items.ExternalId.Tmdb, request.TmdbId.ToString(System.Globalization.CultureInfo.InvariantCulture)) };
                if (request.TvdbId is > 0)
                {
                    ids.Add(new Items.ExternalId(Items.ExternalId.Tvdb, request.TvdbId.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                }

                wants.Add(new LabelClaim(owner.User, request.MediaType == "tv", ids));
            }
        }

        var tags = new List<LabelClaim>();
        var exclude = settings.ExcludeTags.Length == 0 ? null : new Regex(settings.ExcludeTags, RegexOptions.IgnoreCase, TimeSpan.FromSeconds(1));
        foreach (var name in settings.TagInstances)
        {
            var side = await providers.CreateAsync((await connections.FindAsync(name, cancellationToken)).Id, cancellationToken);
            var claims = await ((ITagSource)side.Provider).ReadTagClaimsAsync(cancellationToken);
            tags.AddRange(claims.Where(c => exclude?.IsMatch(c.Name) != true && LabelSettings.Validate(new LabelSettings { Prefix = c.Name }).Count == 0));
        }

        return new LabelInputs(users, failedUsers, wants, tags);
    }

    private async Task<StoredConnection> PlexConnectionAsync(LabelSettings settings, CancellationToken cancellationToken)
    {
        if (settings.Plex is { } name)
        {
            return await connections.FindAsync(name, cancellationToken);
        }

        var plex = (await connections.ListAsync(cancellationToken)).Where(c => c.Kind == "plex").ToList();
        return plex.Count == 1
            ? await connections.FindAsync(plex[0].Name, cancellationToken)
            : throw ValidationException.For("plex", plex.Count == 0 ? "there is no Plex connection to label." : "there are several Plex connections: name one as 'plex'.");
    }

    private async Task<IReadOnlyList<FieldProblem>> CheckConnectionsAsync(LabelSettings settings, CancellationToken cancellationToken)
    {
        var known = await connections.ListAsync(cancellationToken);
        var problems = new List<FieldProblem>();
        void Check(string field, string name, params string[] kinds)
        {
            var found = known.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));
            if (found is null)
            {
                problems.Add(new FieldProblem(field, $"'{field}': there is no connection '{name}'."));
            }
            else if (!kinds.Contains(found.Kind))
            {
                problems.Add(new FieldProblem(field, $"'{field}': connection '{name}' is {found.Kind}, not {string.Join(" or ", kinds)}."));
            }
        }

        if (settings.Plex is { } plex)
        {
            Check("plex", plex, "plex");
        }

        foreach (var name in settings.Seerr)
        {
            Check("seerr", name, "seerr");
        }

        foreach (var name in settings.TagInstances)
        {
            Check("tagInstances", name, "radarr", "sonarr");
        }

        return problems;
    }
}
