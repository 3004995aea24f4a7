using Marquee.Simulators.Jellyfin;

namespace Marquee.Sync.Tests.Infrastructure;

/// <summary>Plex to Jellyfin: a Plex simulator (with plex.tv) and a Jellyfin simulator built from the same seed, users named alike.</summary>
public sealed class PlexToJellyfinFixture : SyncScenarioFixture
{
    private Marquee.Simulators.Plex.PlexTvFederation? _federation;

    protected override async Task<(IScenarioServer Source, IScenarioServer Target, IReadOnlyDictionary<string, string?> Settings)> StartServersAsync()
    {
        var plex = await PlexScenarioServer.StartAsync(variant: 0);
        _federation = await Marquee.Simulators.Plex.PlexTvFederation.StartAsync([plex.Sim], CancellationToken.None);
        var jellyfin = await JellyfinScenarioServer.StartAsync(JellyfinFlavor.Jellyfin, [plex.Owner, plex.HomeUser, plex.Friend]);
        return (plex, jellyfin, new Dictionary<string, string?>
        {
            ["Marquee:Plex:PlexTvUrl"] = _federation.Uri.ToString(),
            ["Marquee:Jellyfin:RetryDelay"] = "00:00:00.050",
            ["Marquee:Jellyfin:PageSize"] = "10",
        });
    }

    protected override async ValueTask DisposeServersAsync()
    {
        if (_federation is not null)
        {
            await _federation.DisposeAsync();
        }
    }
}

/// <summary>Jellyfin to Emby: two simulators from the same seed. Emby takes watches (with their dates) only.</summary>
public sealed class JellyfinToEmbyFixture : SyncScenarioFixture
{
    public override IReadOnlyList<string> DefaultFeatures => ["watched"];

    protected override async Task<(IScenarioServer Source, IScenarioServer Target, IReadOnlyDictionary<string, string?> Settings)> StartServersAsync()
    {
        string[] users = ["owner", "kid", "bob"];
        var jellyfin = await JellyfinScenarioServer.StartAsync(JellyfinFlavor.Jellyfin, users);
        var emby = await JellyfinScenarioServer.StartAsync(JellyfinFlavor.Emby, users);
        return (jellyfin, emby, new Dictionary<string, string?>
        {
            ["Marquee:Jellyfin:RetryDelay"] = "00:00:00.050",
            ["Marquee:Jellyfin:PageSize"] = "10",
        });
    }
}
