using Marquee.Simulators.Infrastructure;
using Marquee.Simulators.Jellyfin.Model;

namespace Marquee.Simulators.Jellyfin;

/// <summary>One user's whole state, keyed by item id.</summary>
public sealed record JfUserDump(string Name, string Id, IReadOnlyDictionary<string, JfUserData> Items);

/// <summary>Control surface for tests and the <c>/_sim</c> HTTP API (not part of Jellyfin or Emby), shaped like the Plex simulator's.</summary>
public sealed class JellyfinControl
{
    internal JellyfinControl(JellyfinState state, SimHarness harness, JellyfinWebhooks webhooks)
    {
        State = state;
        Harness = harness;
        Webhooks = webhooks;
    }

    public JellyfinState State { get; }

    public SimHarness Harness { get; }

    public JellyfinWebhooks Webhooks { get; }

    public IReadOnlyDictionary<string, long> RequestCounts => Harness.RequestCounts;

    public DateTimeOffset Now => State.Clock.GetUtcNow();

    public void ResetCounts() => Harness.ResetCounts();

    public void SetClock(DateTimeOffset now) => State.Clock.Set(now);

    public void AdvanceClock(TimeSpan by) => State.Clock.Advance(by);

    public void SetFault(string endpoint, FaultSpec? spec) => Harness.SetFault(endpoint, spec);

    public void ClearFaults() => Harness.ClearFaults();

    public void SetLatency(int ms) => Harness.LatencyMs = ms;

    public JfUser User(string nameOrId) =>
        State.UserByName(nameOrId) ?? State.UserById(nameOrId) ?? throw new KeyNotFoundException($"No user '{nameOrId}'.");

    public JfItem Item(string id) => State.Item(id) ?? throw new KeyNotFoundException($"No item '{id}'.");

    public JfUserData Data(string user, string itemId) => State.Data(User(user), Item(itemId));

    /// <summary>Marks played or unplayed as the web UI does (a UserDataSaved webhook, reason TogglePlayed).</summary>
    public JfUserData Mark(string user, string itemId, bool played, DateTimeOffset? datePlayed = null) =>
        played ? State.MarkPlayed(User(user), Item(itemId), datePlayed) : State.MarkUnplayed(User(user), Item(itemId));

    /// <summary>Plays an item to <paramref name="positionTicks"/> through the session reports (start, progress, and stop when asked).</summary>
    public JfUserData Play(string user, string itemId, long positionTicks, bool stop = true)
    {
        var who = User(user);
        var item = Item(itemId);
        var session = JellyfinState.Hex($"play:{who.Id}:{item.Id}:{Now.Ticks}");
        State.PlaybackStart(who, item, session, 0);
        State.PlaybackProgress(who, item, session, positionTicks);
        return stop ? State.PlaybackStopped(who, item, session, positionTicks) : State.Data(who, item);
    }

    public JfItem AddMovie(string name, int year, IReadOnlyDictionary<string, string>? providerIds = null, long runtimeTicks = 60_000_000_000) =>
        State.AddMovie(name, year, providerIds ?? new Dictionary<string, string>(), runtimeTicks);

    public bool Remove(string itemId) => State.Remove(itemId);

    public void Rename(string itemId, string name) => State.Rename(Item(itemId), name);

    public void RevokeTokens() => State.RevokeTokens();

    public void SetWebhook(Uri? url) => Webhooks.Url = url;

    public Task WaitForWebhooksAsync(CancellationToken ct) => Webhooks.WaitIdleAsync(ct);

    public JfUserDump Dump(string user)
    {
        var who = User(user);
        return new JfUserDump(who.Name, who.Id, State.DataOf(who));
    }
}
