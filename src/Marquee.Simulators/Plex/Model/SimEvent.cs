namespace Marquee.Simulators.Plex.Model;

/// <summary>Something the simulated server tells webhooks and the event stream about.</summary>
public abstract record SimEvent;

/// <summary>media.play/pause/resume/stop/scrobble from playback (one per state change).</summary>
public sealed record PlaybackEvent(string Event, SimAccount Account, PlexItem Item, PlaySession Session) : SimEvent;

/// <summary>A <c>/:/timeline</c> report: one websocket <c>playing</c> entry per call.</summary>
public sealed record PlayingReport(PlaySession Session) : SimEvent;

public sealed record RateEvent(SimAccount Account, PlexItem Item, double Rating, string? ClientIdentifier) : SimEvent;

public sealed record LibraryItemEvent(PlexItem Item, int State, string? MetadataState) : SimEvent;

public sealed record LibraryNewEvent(PlexItem Item) : SimEvent;

/// <summary>admin.database.backup, admin.database.corrupted, device.new.</summary>
public sealed record AdminEvent(string Event) : SimEvent;

public sealed record ActivityEvent(string Event, string Uuid, string Type, string Title, int Progress, IReadOnlyDictionary<string, object> Context) : SimEvent;

public sealed record StatusEvent(string Title, string Description) : SimEvent;
