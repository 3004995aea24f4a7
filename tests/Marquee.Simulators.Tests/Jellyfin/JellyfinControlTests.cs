using System.Net.Http.Json;
using System.Text.Json;
using Marquee.Simulators.Infrastructure;
using Marquee.Simulators.Jellyfin;

namespace Marquee.Simulators.Tests.Jellyfin;

public sealed class JellyfinControlTests
{
    [Fact]
    public async Task RequestCounts_AreKeptPerEndpointTemplate()
    {
        await using var host = await JellyfinSimHost.StartAsync();
        var client = host.ApiKeyClient();
        var item = host.Sim.State.Items().First(i => i.Type == "Movie").Id;

        await JellyfinSimHost.SendAsync(client, HttpMethod.Get, "/Items?Recursive=true");
        await JellyfinSimHost.SendAsync(client, HttpMethod.Get, "/Items?Recursive=false");
        await JellyfinSimHost.SendAsync(client, HttpMethod.Post, $"/UserPlayedItems/{item}?userId={host.Sim.Admin.Id}");
        var counts = await JellyfinSimHost.JsonAsync(host.Bare(), "/_sim/counts");

        Assert.Equal(2, counts.GetProperty("GET /Items").GetInt64());
        Assert.Equal(1, counts.GetProperty("POST /UserPlayedItems/{itemId}").GetInt64());
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    [InlineData(429)]
    public async Task Faults_SetThroughTheControlApi_AnswerWithTheirStatus(int status)
    {
        await using var host = await JellyfinSimHost.StartAsync();
        var spec = status switch
        {
            500 => new FaultSpec { Error500 = 1 },
            503 => new FaultSpec { Error503 = 1 },
            _ => new FaultSpec { TooManyRequests = 1, RetryAfterSeconds = 3 },
        };
        var put = await host.Bare().PutAsJsonAsync(new Uri("/_sim/faults", UriKind.Relative), new { Endpoint = "GET /Items", Spec = spec });

        using var response = await host.ApiKeyClient().GetAsync(new Uri("/Items", UriKind.Relative));
        await host.Bare().DeleteAsync(new Uri("/_sim/faults", UriKind.Relative));
        var (after, _) = await JellyfinSimHost.SendAsync(host.ApiKeyClient(), HttpMethod.Get, "/Items");

        Assert.True(put.IsSuccessStatusCode);
        Assert.Equal(status, (int)response.StatusCode);
        if (status == 429)
        {
            Assert.Equal(TimeSpan.FromSeconds(3), response.Headers.RetryAfter?.Delta);
        }

        Assert.Equal(200, after);
    }

    [Fact]
    public async Task ControlApi_ListsAccounts_MarksAndDumpsState()
    {
        await using var host = await JellyfinSimHost.StartAsync();
        var item = host.Sim.State.Items().First(i => i.Type == "Movie").Id;

        var accounts = await JellyfinSimHost.JsonAsync(host.Bare(), "/_sim/accounts");
        var mark = await host.Bare().PostAsJsonAsync(new Uri("/_sim/mark", UriKind.Relative), new { Account = "ada", ItemId = item, Watched = true, DatePlayed = "2023-05-06T07:08:09Z" });
        var state = await JellyfinSimHost.JsonAsync(host.Bare(), "/_sim/accounts/ada/state");

        Assert.Equal(3, accounts.GetArrayLength());
        Assert.True(mark.IsSuccessStatusCode);
        Assert.True(state.GetProperty("items").GetProperty(item).GetProperty("played").GetBoolean());
        Assert.Equal(new DateTimeOffset(2023, 5, 6, 7, 8, 9, TimeSpan.Zero), state.GetProperty("items").GetProperty(item).GetProperty("lastPlayedDate").GetDateTimeOffset());
    }

    [Fact]
    public async Task WebhookPlugin_PostsPlaybackAndUserDataPayloads()
    {
        using var receiver = await WebhookSink.StartAsync();
        await using var host = await JellyfinSimHost.StartAsync(options: new JellyfinSimulatorOptions { Movies = 5, Shows = 1, WebhookUrl = receiver.Url, ClockStart = JellyfinSimHost.Start });
        var movie = host.Sim.State.Items().First(i => i.Type == "Movie");

        host.Control.Play("ada", movie.Id, movie.RunTimeTicks!.Value);
        host.Control.Mark("ada", movie.Id, false);
        await host.Control.WaitForWebhooksAsync(CancellationToken.None);

        var types = receiver.Bodies.Select(b => JsonDocument.Parse(b).RootElement.GetProperty("NotificationType").GetString()).ToList();
        Assert.Contains("PlaybackStart", types);
        Assert.Contains("PlaybackStop", types);
        Assert.Contains("UserDataSaved", types);
        var stop = receiver.Bodies.Select(b => JsonDocument.Parse(b).RootElement).First(b => b.GetProperty("NotificationType").GetString() == "PlaybackStop");
        Assert.True(stop.GetProperty("PlayedToCompletion").GetBoolean());
        Assert.Equal(movie.ProviderIds["Imdb"], stop.GetProperty("Provider_imdb").GetString());
        Assert.Equal("ada", stop.GetProperty("NotificationUsername").GetString());
    }

    [Fact]
    public async Task EmbyWebhooks_PostItsEventNames()
    {
        using var receiver = await WebhookSink.StartAsync();
        await using var host = await JellyfinSimHost.StartAsync(JellyfinFlavor.Emby, new JellyfinSimulatorOptions { Movies = 5, Shows = 1, WebhookUrl = receiver.Url });
        var movie = host.Sim.State.Items().First(i => i.Type == "Movie");

        host.Control.Mark("ada", movie.Id, true);
        await host.Control.WaitForWebhooksAsync(CancellationToken.None);

        var body = JsonDocument.Parse(receiver.Bodies.Single()).RootElement;
        Assert.Equal("item.markplayed", body.GetProperty("Event").GetString());
        Assert.Equal(movie.Id, body.GetProperty("Item").GetProperty("Id").GetString());
        Assert.Equal("ada", body.GetProperty("User").GetProperty("Name").GetString());
    }
}
