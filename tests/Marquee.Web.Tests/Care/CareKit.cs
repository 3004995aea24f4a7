using System.Net.Http.Json;
using System.Text.Json;
using Marquee.Simulators.Plex;
using Marquee.Simulators.Plex.Model;
using Marquee.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Marquee.Web.Tests.Care;

/// <summary>Marquee (real Kestrel, real SQLite) beside a Plex simulator with two friends and a home user, one Plex connection.</summary>
internal sealed class CareKit : IAsyncDisposable
{
    private CareKit(MarqueeApp app, PlexSimulator sim, ShiftedClock clock)
    {
        App = app;
        Sim = sim;
        Clock = clock;
    }

    public MarqueeApp App { get; }

    public PlexSimulator Sim { get; }

    /// <summary>Gets Marquee's clock: the real time plus a shift the test moves.</summary>
    public ShiftedClock Clock { get; }

    public SimControl Control => Sim.Control;

    public int Movie => Sim.State.ItemsOfType(1, ItemType.Movie)[0].RatingKey;

    public int Movie4K => Sim.State.ItemsOfType(3, ItemType.Movie)[0].RatingKey;

    /// <summary>Starts both; the care scheduler is off unless <paramref name="scheduler"/> (tests evaluate through the API).</summary>
    public static async Task<CareKit> StartAsync(bool scheduler = false, string? token = null, IDictionary<string, string?>? settings = null, bool discover = false)
    {
        var clock = new ShiftedClock();
        var all = new Dictionary<string, string?>
        {
            ["Marquee:Care:Enabled"] = scheduler ? "true" : "false",
            ["Marquee:Scheduler:Enabled"] = "false",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var sim = await PlexSimulator.StartAsync(new PlexSimulatorOptions { Movies = 40, Shows = 2, HomeUsers = 1, Friends = 2 }, CancellationToken.None);
        all["Marquee:Plex:PlexTvUrl"] = sim.PlexTvUri.ToString();
        if (discover)
        {
            all["Marquee:Plex:DiscoverUrl"] = sim.DiscoverUri.ToString();
        }

        var app = await MarqueeApp.StartAsync(all, services => services.AddSingleton<TimeProvider>(clock));
        await app.CreatePlexAsync("home", token: token?.Replace("{friend}", sim.Accounts.First(a => a.Kind == SimAccountKind.Friend).ServerToken, StringComparison.Ordinal) ?? sim.Owner.AccountToken, url: sim.BaseUri.ToString());
        return new CareKit(app, sim, clock);
    }

    public async Task<HttpResponseMessage> PutRuleAsync(string name, object rule) =>
        await App.Client.PutAsJsonAsync($"/api/care/rules/{name}", rule);

    public async Task RuleAsync(string name, object rule)
    {
        using var response = await PutRuleAsync(name, rule);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    public async Task<JsonElement> EvaluateAsync()
    {
        using var response = await App.Client.PostAsync(new Uri("/api/sessions/evaluate", UriKind.Relative), null);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return await App.JsonAsync(response);
    }

    public PlayResult Start(string account, string clientId, int? ratingKey = null, string? video = null, string? audio = null, string? location = null, int? bandwidth = null, string? platform = null, string? product = null, bool paused = false) =>
        Control.StartSession(new SessionSpec(account, ratingKey ?? Movie, ClientId: clientId, Product: product, Platform: platform, VideoDecision: video, AudioDecision: audio, Location: location, Bandwidth: bandwidth, Paused: paused));

    /// <summary>The players whose session was terminated, with the reason each received.</summary>
    public Dictionary<string, string> Stopped() => Control.Terminations.ToDictionary(t => t.ClientIdentifier, t => t.Reason, StringComparer.Ordinal);

    public async ValueTask DisposeAsync()
    {
        await Sim.DisposeAsync();
        await App.DisposeAsync();
    }
}

/// <summary>The system clock shifted by <see cref="Shift"/>, so a test can move Marquee's time forward.</summary>
internal sealed class ShiftedClock : TimeProvider
{
    public TimeSpan Shift { get; set; }

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Shift;
}
