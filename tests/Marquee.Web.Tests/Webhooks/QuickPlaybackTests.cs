using System.Text.Json;
using Marquee.Core.Webhooks;
using Marquee.Providers.Plex;
using Setup = Marquee.Web.Tests.Webhooks.TargetedPropagationTests.Setup;

namespace Marquee.Web.Tests.Webhooks;

/// <summary>
/// Playbacks that stop a moment after they start, with no webhooks: the event stream names a session the poller never
/// sees, and the server's history and the item's state settle it.
/// </summary>
public sealed class QuickPlaybackTests
{
    [Fact]
    [Trait("Category", "Scenario")]
    public async Task TwentyQuickPlaybacks_WithoutWebhooks_EveryOneReachesTheTarget()
    {
        await using var setup = await Setup.StartAsync(twoWay: false, webhooks: false, movies: 80);
        await setup.WaitStreamsAsync();
        var pairs = Setup.Pairs(setup.Left, setup.Right)
            .Where(p => setup.Left.State.State(setup.Left.Owner, p.Left).IsEmpty && setup.Right.State.State(setup.Right.Owner, p.Right).IsEmpty)
            .Take(20)
            .ToList();
        Assert.Equal(20, pairs.Count);
        var random = new Random(23);

        // Act: each movie starts, and after a random short gap (none for about half of them, the rest under a third of a second) is finished or stopped at 40 %.
        var expected = new List<(Marquee.Simulators.Plex.Model.PlexItem Target, bool Finished, long Position)>();
        for (var i = 0; i < pairs.Count; i++)
        {
            var (movie, target) = pairs[i];
            var finished = i % 2 == 0;
            var position = movie.Duration * 40 / 100;
            var stop = finished
                ? new { account = "owner", ratingKey = movie.RatingKey, percent = 95, stop = true }
                : (object)new { account = "owner", ratingKey = movie.RatingKey, positionMs = position, stop = true };

            // A gap of 0 is a start and a stop in one go (the stream's first message names a session already gone).
            var gap = random.Next(-300, 300);
            if (gap > 0)
            {
                await setup.PlayAsync(movie, new { account = "owner", ratingKey = movie.RatingKey, percent = 5 });
                await Task.Delay(gap);
            }

            await setup.PlayAsync(movie, stop);
            expected.Add((target, finished, position));
            await Task.Delay(random.Next(0, 300));
        }

        // Assert: plex-b's API shows every one of them: watched, or resuming within a second of where it stopped.
        foreach (var (target, finished, position) in expected)
        {
            await setup.WaitTargetAsync(
                target,
                finished ? Watched : item => item.TryGetProperty("viewOffset", out var offset) && Math.Abs(offset.GetInt64() - position) <= 1000,
                finished ? $"watch of {target.RatingKey}" : $"resume point of {target.RatingKey}");
        }

        // The playbacks no poll saw were settled from the history (a watch names its account) and the item's state.
        var settled = (await WebhookKit.EventsAsync(setup.App)).Where(e => e.Origin == LiveEventOrigin.History).ToList();
        Assert.Contains(settled, e => e.Kind == LiveEventKind.Watched);
        Assert.All(settled.Where(e => e.Kind == LiveEventKind.Watched), e => Assert.Equal(PlexWebhookEvents.OwnerAccount, e.AccountId));
        Assert.All(settled, e => Assert.Equal(setup.Left.MachineIdentifier, e.ServerId));
    }

    private static bool Watched(JsonElement item) => item.TryGetProperty("viewCount", out var count) && count.GetInt32() > 0;
}
