using System.Text.Json;
using Marquee.Simulators.Jellyfin;

namespace Marquee.Simulators.Tests.Jellyfin;

public sealed class JellyfinUserDataTests
{
    [Fact]
    public async Task PlayedWithDatePlayed_KeepsThatDate_UnplayedResets()
    {
        await using var host = await JellyfinSimHost.StartAsync();
        var client = host.ApiKeyClient();
        var user = host.Sim.Admin.Id;
        var item = host.Sim.State.Items().First(i => i.Type == "Movie").Id;

        var (status, body) = await JellyfinSimHost.SendAsync(client, HttpMethod.Post, $"/UserPlayedItems/{item}?userId={user}&datePlayed=2024-01-02T03:04:05Z");
        var read = await JellyfinSimHost.JsonAsync(client, $"/UserItems/{item}/UserData?userId={user}");
        var (_, unplayed) = await JellyfinSimHost.SendAsync(client, HttpMethod.Delete, $"/UserPlayedItems/{item}?userId={user}");

        Assert.Equal(200, status);
        var data = JsonDocument.Parse(body).RootElement;
        Assert.True(data.GetProperty("Played").GetBoolean());
        Assert.Equal(1, data.GetProperty("PlayCount").GetInt32());
        Assert.Equal("2024-01-02T03:04:05.0000000Z", data.GetProperty("LastPlayedDate").GetString());
        Assert.Equal("2024-01-02T03:04:05.0000000Z", read.GetProperty("LastPlayedDate").GetString());
        var after = JsonDocument.Parse(unplayed).RootElement;
        Assert.False(after.GetProperty("Played").GetBoolean());
        Assert.Equal(0, after.GetProperty("PlayCount").GetInt32());
    }

    [Fact]
    public async Task LegacyUserRoutes_GiveTheSameResult()
    {
        await using var host = await JellyfinSimHost.StartAsync();
        var client = host.ApiKeyClient();
        var user = host.Sim.Admin.Id;
        var item = host.Sim.State.Items().First(i => i.Type == "Movie").Id;

        var (status, _) = await JellyfinSimHost.SendAsync(client, HttpMethod.Post, $"/Users/{user}/PlayedItems/{item}?datePlayed=2024-01-02T03:04:05Z");
        var read = await JellyfinSimHost.JsonAsync(client, $"/Users/{user}/Items/{item}/UserData");

        Assert.Equal(200, status);
        Assert.Equal("2024-01-02T03:04:05.0000000Z", read.GetProperty("LastPlayedDate").GetString());
    }

    [Fact]
    public async Task Emby_DatePlayedUsesItsCompactFormat()
    {
        await using var host = await JellyfinSimHost.StartAsync(JellyfinFlavor.Emby);
        var client = host.ApiKeyClient();
        var user = host.Sim.Admin.Id;
        var item = host.Sim.State.Items().First(i => i.Type == "Movie").Id;

        var (ok, body) = await JellyfinSimHost.SendAsync(client, HttpMethod.Post, $"/Users/{user}/PlayedItems/{item}?DatePlayed=20240102030405");
        var (bad, _) = await JellyfinSimHost.SendAsync(client, HttpMethod.Post, $"/Users/{user}/PlayedItems/{item}?DatePlayed=2024-01-02T03:04:05Z");

        Assert.Equal(200, ok);
        Assert.Equal("2024-01-02T03:04:05.0000000Z", JsonDocument.Parse(body).RootElement.GetProperty("LastPlayedDate").GetString());
        Assert.Equal(400, bad);
    }

    [Fact]
    public async Task UserDataPost_IsAPartialUpdate_AndBypassesPlaybackRules()
    {
        await using var host = await JellyfinSimHost.StartAsync();
        var client = host.ApiKeyClient();
        var user = host.Sim.Admin.Id;
        var item = host.Sim.State.Items().First(i => i.Type == "Movie");

        var (_, first) = await JellyfinSimHost.SendAsync(client, HttpMethod.Post, $"/UserItems/{item.Id}/UserData?userId={user}", "{\"PlaybackPositionTicks\":300000000,\"LastPlayedDate\":\"2024-02-03T04:05:06Z\"}");
        var (_, second) = await JellyfinSimHost.SendAsync(client, HttpMethod.Post, $"/UserItems/{item.Id}/UserData?userId={user}", "{\"Rating\":7.5,\"IsFavorite\":true}");

        var a = JsonDocument.Parse(first).RootElement;
        var b = JsonDocument.Parse(second).RootElement;
        Assert.Equal(300000000, a.GetProperty("PlaybackPositionTicks").GetInt64());
        Assert.False(a.GetProperty("Played").GetBoolean());
        Assert.True(a.TryGetProperty("PlayedPercentage", out _));
        Assert.Equal(300000000, b.GetProperty("PlaybackPositionTicks").GetInt64());
        Assert.Equal(7.5, b.GetProperty("Rating").GetDouble());
        Assert.True(b.GetProperty("IsFavorite").GetBoolean());
        Assert.Equal("2024-02-03T04:05:06.0000000Z", b.GetProperty("LastPlayedDate").GetString());
    }

    [Theory]
    [InlineData(0.2, false, 0.2)]
    [InlineData(0.03, false, 0)]
    [InlineData(0.95, true, 0)]
    public async Task SessionStop_AppliesTheServerRules(double share, bool played, double positionShare)
    {
        await using var host = await JellyfinSimHost.StartAsync();
        var token = await host.LoginAsync("ada", "ada-pw");
        var client = host.Client(token);
        var item = host.Sim.State.Items().First(i => i.Type == "Movie");
        var ticks = (long)(item.RunTimeTicks!.Value * share);
        var session = $"{{\"ItemId\":\"{item.Id}\",\"PositionTicks\":{ticks},\"PlaySessionId\":\"ps1\"}}";

        Assert.Equal(204, (await JellyfinSimHost.SendAsync(client, HttpMethod.Post, "/Sessions/Playing", session)).Status);
        Assert.Equal(204, (await JellyfinSimHost.SendAsync(client, HttpMethod.Post, "/Sessions/Playing/Progress", session)).Status);
        Assert.Equal(204, (await JellyfinSimHost.SendAsync(client, HttpMethod.Post, "/Sessions/Playing/Stopped", session)).Status);
        var data = host.Control.Data("ada", item.Id);

        Assert.Equal(played, data.Played);
        Assert.Equal(1, data.PlayCount);
        Assert.Equal((long)(item.RunTimeTicks.Value * positionShare), data.PlaybackPositionTicks);
        Assert.Equal(host.Control.Now, data.LastPlayedDate);
    }

    [Fact]
    public async Task Favourites_AndResume_ListFoldersToo()
    {
        await using var host = await JellyfinSimHost.StartAsync();
        var client = host.ApiKeyClient();
        var user = host.Sim.Admin;
        var episode = host.Sim.State.Items().First(i => i.Type == "Episode");
        host.Control.Play(user.Name, episode.Id, episode.RunTimeTicks!.Value / 2);

        var (fav, _) = await JellyfinSimHost.SendAsync(client, HttpMethod.Post, $"/UserFavoriteItems/{episode.Id}?userId={user.Id}");
        var resume = await JellyfinSimHost.JsonAsync(client, $"/UserItems/Resume?userId={user.Id}");

        Assert.Equal(200, fav);
        Assert.True(host.Control.Data(user.Name, episode.Id).IsFavorite);
        Assert.Equal(["Episode", "Season", "Series"], resume.GetProperty("Items").EnumerateArray().Select(i => i.GetProperty("Type").GetString()!).Order(StringComparer.Ordinal));
    }
}
