using Marquee.Core.Notifications;
using Marquee.Core.Webhooks;

namespace Marquee.Core.Tests.Notifications;

public sealed class NotificationTemplateTests
{
    private readonly NotificationTemplates _templates = new();

    [Fact]
    public async Task EveryDefault_RendersWithTheSample_AndReadsWell()
    {
        foreach (var (trigger, style) in NotificationTriggers.Styles)
        {
            var values = NotificationVariables.Sample(trigger);
            Assert.NotEmpty(await _templates.RenderAsync(style.Title, values, CancellationToken.None));
            Assert.NotEmpty(await _templates.RenderAsync(style.Body, values, CancellationToken.None));
        }

        var title = await _templates.RenderAsync(NotificationTriggers.Styles["play"].Title, NotificationVariables.Sample("play"), CancellationToken.None);
        Assert.Equal("alice started Severance · S02E03 · Who Is Alive?", title);
    }

    [Fact]
    public async Task CatalogueVariables_AreFilledFromALiveEvent()
    {
        var e = new LiveEvent("plex", LiveEventOrigin.Webhook, "srv", "42", "anna", "77", null, "movie", LiveEventKind.Play, null, DateTimeOffset.UnixEpoch)
        {
            Title = "Arrival",
            Year = 2016,
            Player = "TV",
            PositionMs = 3_480_000,
            DurationMs = 6_960_000,
        };

        var text = await _templates.RenderAsync("{{ user }}|{{ full_title }}|{{ progress }}|{{ duration }}|{{ player }}|{{ plex_url }}", NotificationVariables.From(e, "play"), CancellationToken.None);

        var body = await _templates.RenderAsync(NotificationTriggers.Styles["play"].Body, NotificationVariables.From(e, "play"), CancellationToken.None);

        Assert.Equal("anna|Arrival (2016)|50|1 h 56 min|TV|https://app.plex.tv/desktop/#!/server/srv/details?key=%2Flibrary%2Fmetadata%2F77", text);
        Assert.Equal("Movie on **TV**, 1 h 56 min.", body);
    }

    [Theory]
    [InlineData("{{ user ", "Not valid Liquid")]
    [InlineData("{% if user %}no end", "Not valid Liquid")]
    [InlineData("{% include 'secrets.txt' %}", "cannot include")]
    [InlineData("{%- render 'x' -%}", "cannot include")]
    [InlineData("{{ usr }}", "Unknown variable")]
    public async Task BadTemplates_AreRejectedWithAClearMessage(string template, string expected)
    {
        var problem = await _templates.ValidateAsync(template, CancellationToken.None);

        Assert.NotNull(problem);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HugeLoops_AndHugeOutput_AreBounded()
    {
        var values = NotificationVariables.Sample("play");

        var loop = await Assert.ThrowsAsync<TemplateException>(() => _templates.RenderAsync("{% for i in (1..100000000) %}{{ i }}{% endfor %}", values, CancellationToken.None));
        var output = await Assert.ThrowsAsync<TemplateException>(() => _templates.RenderAsync("{% for i in (1..900) %}{{ title }}{{ title }}{{ title }}{{ title }}{% endfor %}", values, CancellationToken.None));
        var tooLong = await _templates.ValidateAsync(new string('x', NotificationTemplates.MaxTemplateLength + 1), CancellationToken.None);

        Assert.Matches("too (long|large)|steps", loop.Message);
        Assert.Contains("too long", output.Message, StringComparison.Ordinal);
        Assert.Contains("at most", tooLong, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("movie", 89, false)]
    [InlineData("movie", 90, true)]
    [InlineData("episode", 79, false)]
    [InlineData("episode", 80, true)]
    public void Finished_FiresAtTheThresholdOfItsMediaType(string mediaType, int percent, bool fires)
    {
        var options = new NotificationOptions { FinishedMoviePercent = 90, FinishedEpisodePercent = 80 };
        var e = new LiveEvent("plex", LiveEventOrigin.Poll, "srv", "1", "a", "5", null, mediaType, LiveEventType.Stop, null, DateTimeOffset.UnixEpoch)
        {
            EventType = LiveEventType.Stop,
            PositionMs = percent * 10_000,
            DurationMs = 1_000_000,
        };

        Assert.Equal(fires, NotificationSink.TriggersOf(e, options).Contains(NotificationTriggers.Finished));
        Assert.Contains(NotificationTriggers.Stop, NotificationSink.TriggersOf(e, options));
    }

    [Fact]
    public void Finished_SetToZero_NeverFires_EvenOnTheServersWatchedSignal()
    {
        var options = new NotificationOptions { FinishedMoviePercent = 0 };
        var scrobble = new LiveEvent("plex", LiveEventOrigin.Webhook, "srv", "1", "a", "5", null, "movie", LiveEventKind.Watched, null, DateTimeOffset.UnixEpoch);

        Assert.Empty(NotificationSink.TriggersOf(scrobble, options));
        Assert.Equal([NotificationTriggers.Finished], NotificationSink.TriggersOf(scrobble, new NotificationOptions()));
    }
}
