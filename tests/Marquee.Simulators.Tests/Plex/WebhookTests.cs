using Marquee.Simulators.Plex;

namespace Marquee.Simulators.Tests.Plex;

/// <summary>PLEX-API.md 10 item 17 and section 9.</summary>
public sealed class WebhookTests
{
    [Fact]
    public async Task Playback_OwnerHook_SendsPlayPauseResumeScrobbleStopInOrder()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var host = await SimHost.StartAsync(new() { Movies = 10, Shows = 1, ClockStart = SimHost.Start });
        host.Control.SetWebhooks("owner", [receiver.Url]);
        var movie = host.FirstMovie();
        var duration = host.Sim.State.Item(movie)!.Duration;
        host.Control.Play("owner", movie, 60_000, pause: true);
        host.Control.Play("owner", movie, duration, stop: true);
        await host.Control.WaitForWebhooksAsync(CancellationToken.None);

        var events = receiver.Payloads().Select(p => p.GetProperty("event").GetString()).ToList();
        Assert.Equal(["media.play", "media.pause", "media.resume", "media.scrobble", "media.stop"], events);
        var post = receiver.Posts.First();
        Assert.StartsWith("multipart/form-data", post.ContentType, StringComparison.Ordinal);
        Assert.StartsWith("PlexMediaServer/", post.UserAgent, StringComparison.Ordinal);
        Assert.True(post.HasThumb);
        Assert.Equal("image/jpeg", post.ThumbType);
        Assert.DoesNotContain(receiver.Posts.Skip(1), p => p.HasThumb);
    }

    [Fact]
    public async Task Rate_HasTopLevelRatingAndMetadataAfterChange()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var host = await SimHost.StartAsync();
        host.Control.SetWebhooks("owner", [receiver.Url]);
        var movie = host.FirstMovie();
        (await host.Pms(host.Owner.AccountToken).PutAsync(new Uri($"/:/rate?identifier=com.plexapp.plugins.library&key={movie}&rating=8", UriKind.Relative), null)).EnsureSuccessStatusCode();
        await host.Control.WaitForWebhooksAsync(CancellationToken.None);
        var payload = Assert.Single(receiver.Payloads("media.rate"));
        Assert.Equal(8, payload.GetProperty("rating").GetDouble());
        Assert.Equal(8, payload.GetProperty("Metadata").GetProperty("userRating").GetDouble());
        Assert.Equal(SimHost.Start.ToUnixTimeSeconds(), payload.GetProperty("Metadata").GetProperty("lastRatedAt").GetInt64());
        Assert.Equal(host.Owner.PlexTvId, payload.GetProperty("Account").GetProperty("id").GetInt64());
        Assert.True(Assert.Single(receiver.Posts).HasThumb);
    }

    [Fact]
    public async Task ManualMarks_SendNoWebhook()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var host = await SimHost.StartAsync();
        host.Control.SetWebhooks("owner", [receiver.Url]);
        var owner = host.Pms(host.Owner.AccountToken);
        var movie = host.FirstMovie();
        (await owner.PutAsync(new Uri($"/:/scrobble?identifier=com.plexapp.plugins.library&key={movie}", UriKind.Relative), null)).EnsureSuccessStatusCode();
        (await owner.PutAsync(new Uri($"/:/unscrobble?identifier=com.plexapp.plugins.library&key={movie}", UriKind.Relative), null)).EnsureSuccessStatusCode();
        host.Control.Mark("owner", movie, true);
        await host.Control.WaitForWebhooksAsync(CancellationToken.None);
        Assert.Empty(receiver.Posts);
    }

    [Fact]
    public async Task OwnerOnlyEvents_NeverReachFriendUrls()
    {
        await using var ownerHook = await WebhookReceiver.StartAsync();
        await using var friendHook = await WebhookReceiver.StartAsync();
        await using var host = await SimHost.StartAsync();
        host.Control.SetWebhooks("owner", [ownerHook.Url]);
        host.Control.SetWebhooks(host.Friend.Name, [friendHook.Url]);
        var movie = host.FirstMovie();
        host.Control.Play(host.Friend.Name, movie, 60_000, stop: true);
        host.Control.SendAdminWebhook("admin.database.backup");
        host.Control.SendAdminWebhook("admin.database.corrupted");
        host.Control.SendAdminWebhook("device.new");
        await host.Control.WaitForWebhooksAsync(CancellationToken.None);

        var friendEvents = friendHook.Payloads().Select(p => p.GetProperty("event").GetString()).ToList();
        var ownerEvents = ownerHook.Payloads().Select(p => p.GetProperty("event").GetString()).ToList();
        Assert.Equal(["media.play", "media.stop"], friendEvents);
        Assert.Contains("playback.started", ownerEvents);
        Assert.Contains("admin.database.backup", ownerEvents);
        Assert.Contains("admin.database.corrupted", ownerEvents);
        Assert.Contains("device.new", ownerEvents);
        Assert.All(friendHook.Payloads(), p =>
        {
            Assert.True(p.GetProperty("user").GetBoolean());
            Assert.False(p.GetProperty("owner").GetBoolean());
            Assert.Equal(host.Friend.PlexTvId, p.GetProperty("Account").GetProperty("id").GetInt64());
        });
        Assert.All(ownerHook.Payloads("media.play"), p => Assert.False(p.GetProperty("user").GetBoolean()));
    }

    [Fact]
    public async Task LibraryNew_SentWithThumbAndMetadata()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var host = await SimHost.StartAsync(new() { Movies = 5, Shows = 1, ClockStart = SimHost.Start, WebhookUrl = null });
        host.Control.SetWebhooks("owner", [receiver.Url]);
        var added = host.Control.AddMovie(1, "Brand New", 2025);
        await host.Control.WaitForWebhooksAsync(CancellationToken.None);
        var payload = Assert.Single(receiver.Payloads("library.new"));
        Assert.Equal(added.RatingKey.ToString(System.Globalization.CultureInfo.InvariantCulture), payload.GetProperty("Metadata").GetProperty("ratingKey").GetString());
        Assert.Equal(1, payload.GetProperty("Metadata").GetProperty("librarySectionID").GetInt32());
        Assert.True(receiver.Posts.Single().HasThumb);
    }

    [Fact]
    public async Task WebhookUrlOption_GoesToOwner()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var host = await SimHost.StartAsync(new PlexSimulatorOptions { Movies = 5, Shows = 1, WebhookUrl = receiver.Url, ClockStart = SimHost.Start });
        host.Control.SendAdminWebhook("admin.database.backup");
        await host.Control.WaitForWebhooksAsync(CancellationToken.None);
        Assert.Equal("admin.database.backup", Assert.Single(receiver.Payloads()).GetProperty("event").GetString());
    }
}
