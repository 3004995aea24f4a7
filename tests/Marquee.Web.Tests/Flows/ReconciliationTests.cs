using Marquee.Core.Sync;
using Marquee.Simulators.Plex;
using Marquee.Simulators.Plex.Model;
using Marquee.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Marquee.Web.Tests.Flows;

/// <summary>
/// A flow made with no schedule reconciles by default: incrementally every 15 minutes and in full nightly. Marquee runs
/// on the simulators' clock (frozen, moved by the test); no webhook, event stream or session poll carries anything.
/// </summary>
public sealed class ReconciliationTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 20, 2, 0, 0, TimeSpan.Zero);

    [Fact]
    [Trait("Category", "Scenario")]
    public async Task MarkByHand_ArrivesThroughTheDefaultReconciliation_WhenTheClockMoves()
    {
        var options = (int variant, string name) => new PlexSimulatorOptions { Seed = 7, Variant = variant, Movies = 20, Shows = 1, HomeUsers = 0, Friends = 0, ServerName = name, ClockStart = Start };
        await using var left = await PlexSimulator.StartAsync(options(0, "plex-a"), CancellationToken.None);
        await using var right = await PlexSimulator.StartAsync(options(1, "plex-b"), CancellationToken.None);
        await using var plexTv = await PlexTvFederation.StartAsync([left, right], CancellationToken.None);
        await using var app = await MarqueeApp.StartAsync(
            new Dictionary<string, string?>
            {
                ["Marquee:Plex:PlexTvUrl"] = plexTv.Uri.ToString(),
                ["Marquee:Webhooks:Live:EventStream"] = "false",
                ["Marquee:Webhooks:Live:SessionPoller"] = "false",
                ["Marquee:Scheduler:CheckInterval"] = "00:00:00.200",
            },
            services => services.AddSingleton<TimeProvider>(left.State.Clock));
        await app.CreatePlexAsync("plex-a", token: left.Owner.AccountToken, url: left.BaseUri.ToString());
        await app.CreatePlexAsync("plex-b", token: right.Owner.AccountToken, url: right.BaseUri.ToString());
        var flow = await app.PostJsonAsync("/api/flows", new { name = "ab", from = "plex-a", to = "plex-b" });
        Assert.True(flow.IsSuccessStatusCode, await flow.Content.ReadAsStringAsync());
        var first = await app.PostJsonAsync("/api/sync", new { flows = new[] { "ab" } });
        Assert.True(first.IsSuccessStatusCode, await first.Content.ReadAsStringAsync());
        var (movie, target) = Pair(left, right);
        var runs = app.Services.GetRequiredService<IRunStore>();

        // Act: the owner marks a movie watched in Plex by hand (no webhook, no history), and 16 minutes pass.
        left.Control.Mark("owner", movie.RatingKey, watched: true);
        await Task.Delay(500);
        Assert.DoesNotContain(await runs.ListAsync(10, CancellationToken.None), r => r.Trigger == "schedule");
        Advance(left, right, TimeSpan.FromMinutes(16));

        // Assert: an incremental scheduled run carried the mark to plex-b.
        await WaitAsync(() => Task.FromResult(right.State.State(right.Owner, target).ViewCount > 0), "the mark on plex-b", app);
        await WaitAsync(async () => (await runs.ListAsync(10, CancellationToken.None)).Any(r => r.Trigger == "schedule" && r.Status != RunStatus.Running), "the incremental run's end", app);
        var incremental = Assert.Single(await runs.ListAsync(10, CancellationToken.None), r => r.Trigger == "schedule");
        Assert.Equal(RunStatus.Done, incremental.Status);
        Assert.Equal(1, incremental.Written);
        Assert.Contains("\"since\":\"", SinceOf(app, incremental.Id), StringComparison.Ordinal);

        // Act: the clock passes 03:00 UTC.
        Advance(left, right, TimeSpan.FromMinutes(50));

        // Assert: the nightly full run (no window), which finds nothing more to write.
        await WaitAsync(async () => (await runs.ListAsync(10, CancellationToken.None)).Count(r => r.Trigger == "schedule") == 2, "the nightly run", app);
        var full = (await runs.ListAsync(10, CancellationToken.None)).First(r => r.Trigger == "schedule");
        Assert.Contains("\"since\":null", SinceOf(app, full.Id), StringComparison.Ordinal);
        await WaitAsync(async () => (await runs.GetAsync(full.Id, CancellationToken.None))!.Status != RunStatus.Running, "the nightly run's end", app);
        Assert.Equal(0, (await runs.GetAsync(full.Id, CancellationToken.None))!.Written);
    }

    private static void Advance(PlexSimulator left, PlexSimulator right, TimeSpan by)
    {
        left.Control.AdvanceClock(by);
        right.Control.AdvanceClock(by);
    }

    /// <summary>The options a run was started with, as the journal keeps them.</summary>
    private static string SinceOf(MarqueeApp app, long runId)
    {
        using var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(app.DataFolder, "marquee.db")}");
        db.Open();
        using var command = db.CreateCommand();
        command.CommandText = "SELECT options FROM runs WHERE id = $id";
        command.Parameters.AddWithValue("$id", runId);
        return command.ExecuteScalar() as string ?? string.Empty;
    }

    private static (PlexItem Movie, PlexItem Target) Pair(PlexSimulator left, PlexSimulator right)
    {
        var targets = right.State.ItemsOfType(1, ItemType.Movie).Where(m => m.EditionTitle is null).GroupBy(m => m.PrimaryGuid).Where(g => g.Count() == 1).ToDictionary(g => g.Key, g => g.Single());
        return left.State.ItemsOfType(1, ItemType.Movie)
            .Where(m => m.EditionTitle is null && m.PrimaryGuid.StartsWith("plex://", StringComparison.Ordinal) && targets.ContainsKey(m.PrimaryGuid))
            .Where(m => left.State.State(left.Owner, m).IsEmpty && right.State.State(right.Owner, targets[m.PrimaryGuid]).IsEmpty)
            .Select(m => (m, targets[m.PrimaryGuid]))
            .First();
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, string what, MarqueeApp app)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"{what} did not happen; logs:\n" + string.Join('\n', app.Logs.Entries.Where(e => e.Category.Contains("Scheduler", StringComparison.Ordinal) || e.Level >= Microsoft.Extensions.Logging.LogLevel.Warning)));
            await Task.Delay(100);
        }
    }
}
