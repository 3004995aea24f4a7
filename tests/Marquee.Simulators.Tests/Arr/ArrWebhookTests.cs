using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Marquee.Simulators.Arr;
using Marquee.TestKit;

namespace Marquee.Simulators.Tests.Arr;

/// <summary>
/// Webhook connections are saved only after a Test the receiver accepts, and the simulator's webhooks have the shape of the
/// contract's examples: the same member names and casing, nulls omitted, PascalCase event types.
/// </summary>
public sealed class ArrWebhookTests
{
    public static object Registration(Uri url, string name = "Marquee", int method = 1) => new
    {
        name,
        implementation = "Webhook",
        configContract = "WebhookSettings",
        onGrab = false,
        onDownload = true,
        onUpgrade = true,
        onRename = true,
        onMovieAdded = true,
        onSeriesAdd = true,
        onMovieDelete = true,
        onSeriesDelete = true,
        onMovieFileDelete = true,
        tags = Array.Empty<int>(),
        fields = new object[]
        {
            new { name = "url", value = url.ToString() },
            new { name = "method", value = method },
            new { name = "username", value = "hook" },
            new { name = "password", value = "secret" },
            new { name = "headers", value = new[] { new { key = "X-Marquee-Secret", value = "s3cret" } } },
        },
    };

    [Fact]
    public async Task Saving_SendsATest_WithItsHeadersAndCredentials_ThenStoresTheConnection()
    {
        await using var host = await ArrSimHost.StartAsync(ArrFlavor.Radarr);
        await using var receiver = await ReceivingServer.StartAsync();

        using var saved = await host.Api.PostAsJsonAsync(new Uri("api/v3/notification", UriKind.Relative), Registration(receiver.BaseUri, method: 2));

        Assert.Equal(HttpStatusCode.Created, saved.StatusCode);
        var test = Assert.Single(receiver.Answered);
        Assert.Equal("PUT", test.Method);
        Assert.Equal("s3cret", test.Headers["X-Marquee-Secret"]);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("hook:secret")), test.Headers["Authorization"]);
        Assert.Equal("Test", (string?)JsonNode.Parse(test.Body)!["eventType"]);
        var list = (await host.GetJsonAsync("api/v3/notification")).AsArray();
        Assert.Equal("Marquee", (string?)Assert.Single(list)!["name"]);
    }

    [Fact]
    public async Task Saving_IsRefused_WhenTheReceiverDoesNotAnswer2xx_UnlessForced()
    {
        await using var host = await ArrSimHost.StartAsync(ArrFlavor.Sonarr, shows: 1);
        await using var receiver = await ReceivingServer.StartAsync((_, _) => Task.FromResult(500));

        using var refused = await host.Api.PostAsJsonAsync(new Uri("api/v3/notification", UriKind.Relative), Registration(receiver.BaseUri));
        var afterRefusal = (await host.GetJsonAsync("api/v3/notification")).AsArray().Count;
        using var forced = await host.Api.PostAsJsonAsync(new Uri("api/v3/notification?forceSave=true", UriKind.Relative), Registration(receiver.BaseUri));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("Unable to send test message", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, afterRefusal);
        Assert.Equal(HttpStatusCode.Created, forced.StatusCode);
        Assert.Single((await host.GetJsonAsync("api/v3/notification")).AsArray());
    }

    [Fact]
    public async Task UpdatingAndDeleting_AConnection_KeepsOneEntry()
    {
        await using var host = await ArrSimHost.StartAsync(ArrFlavor.Radarr);
        await using var receiver = await ReceivingServer.StartAsync();
        using var saved = await host.Api.PostAsJsonAsync(new Uri("api/v3/notification", UriKind.Relative), Registration(receiver.BaseUri));
        var id = (int)JsonNode.Parse(await saved.Content.ReadAsStringAsync())!["id"]!;

        using var updated = await host.Api.PutAsJsonAsync(new Uri($"api/v3/notification/{id}", UriKind.Relative), Registration(receiver.BaseUri, name: "Marquee 2"));
        var afterUpdate = (await host.GetJsonAsync("api/v3/notification")).AsArray();
        using var deleted = await host.Api.DeleteAsync(new Uri($"api/v3/notification/{id}", UriKind.Relative));
        using var missing = await host.Api.DeleteAsync(new Uri($"api/v3/notification/{id}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Accepted, updated.StatusCode);
        Assert.Equal("Marquee 2", (string?)Assert.Single(afterUpdate)!["name"]);
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Empty((await host.GetJsonAsync("api/v3/notification")).AsArray());
    }

    [Theory]
    [InlineData("{\"name\":\"x\",\"implementation\":\"Discord\",\"fields\":[]}", "Implementation")]
    [InlineData("{\"name\":\"\",\"implementation\":\"Webhook\",\"fields\":[]}", "Name")]
    [InlineData("{\"name\":\"x\",\"implementation\":\"Webhook\",\"fields\":[{\"name\":\"url\",\"value\":\"ftp://a/b\"}]}", "Url")]
    [InlineData("{\"name\":\"x\",\"implementation\":\"Webhook\",\"fields\":[{\"name\":\"url\",\"value\":\"http://127.0.0.1:9/\"},{\"name\":\"method\",\"value\":7}]}", "Method")]
    [InlineData("[1,2]", "body")]
    public async Task MalformedConnections_Are400_NamingTheField(string body, string property)
    {
        await using var host = await ArrSimHost.StartAsync(ArrFlavor.Radarr);

        using var response = await host.Api.PostAsync(new Uri("api/v3/notification", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(property, (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray()[0]!["propertyName"]);
    }

    [Fact]
    public async Task RadarrEvents_HaveTheShapeOfTheExamples()
    {
        await using var host = await ArrSimHost.StartAsync(ArrFlavor.Radarr);
        await using var receiver = await ReceivingServer.StartAsync();
        (await host.Api.PostAsJsonAsync(new Uri("api/v3/notification", UriKind.Relative), Registration(receiver.BaseUri))).EnsureSuccessStatusCode();
        var control = host.Simulator.Control;

        var movie = control.AddMovie("Arrival", 2016, 329_865, "tt2543164", ["alice", "plex-4k"], "list");
        control.Import(movie.Id, null, [], upgrade: false);
        control.Import(movie.Id, null, [], upgrade: true);
        control.Delete(movie.Id, deleteFiles: true);
        var received = await receiver.WaitForAsync(5);

        Assert.Equal(["Test", "MovieAdded", "Download", "Download", "MovieDelete"], received.Select(r => (string?)JsonNode.Parse(r.Body)!["eventType"]));
        SameShape("radarr-test.json", received[0].Body);
        SameShape("radarr-movieadded.json", received[1].Body);
        SameShape("radarr-download.json", received[2].Body);
        SameShape("radarr-download-upgrade.json", received[3].Body);
        SameShape("radarr-moviedelete.json", received[4].Body);
        Assert.Equal(["alice", "plex-4k"], JsonNode.Parse(received[1].Body)!["movie"]!["tags"]!.AsArray().Select(t => (string?)t));
        Assert.Equal(329_865, (int)JsonNode.Parse(received[2].Body)!["movie"]!["tmdbId"]!);
    }

    [Fact]
    public async Task SonarrEvents_HaveTheShapeOfTheExamples()
    {
        await using var host = await ArrSimHost.StartAsync(ArrFlavor.Sonarr, shows: 1);
        await using var receiver = await ReceivingServer.StartAsync();
        (await host.Api.PostAsJsonAsync(new Uri("api/v3/notification", UriKind.Relative), Registration(receiver.BaseUri))).EnsureSuccessStatusCode();
        var control = host.Simulator.Control;

        var series = control.AddSeries("Severance", 2022, 371_980, seasons: 2, episodes: 3, ["bob"], "tt11280740");
        var episodes = host.Simulator.State.Episodes(e => e.SeriesId == series.Id && e.SeasonNumber == 2).Take(2).Select(e => e.Id).ToList();
        control.Import(null, series.Id, episodes, upgrade: false);
        control.Delete(series.Id, deleteFiles: false);
        var received = await receiver.WaitForAsync(4);

        Assert.Equal(["Test", "SeriesAdd", "Download", "SeriesDelete"], received.Select(r => (string?)JsonNode.Parse(r.Body)!["eventType"]));
        SameShape("sonarr-test.json", received[0].Body);
        SameShape("sonarr-seriesadd.json", received[1].Body);
        SameShape("sonarr-download.json", received[2].Body);
        SameShape("sonarr-seriesdelete.json", received[3].Body);
        var download = JsonNode.Parse(received[2].Body)!;
        Assert.Equal([2, 2], download["episodes"]!.AsArray().Select(e => (int)e!["seasonNumber"]!));
        Assert.Equal("multiEpisode", (string?)download["release"]!["releaseType"]);
    }

    [Fact]
    public async Task AConnectionThatDidNotAskForAnEvent_DoesNotGetIt()
    {
        await using var host = await ArrSimHost.StartAsync(ArrFlavor.Radarr);
        await using var receiver = await ReceivingServer.StartAsync();
        var registration = JsonNode.Parse(await JsonContent.Create(Registration(receiver.BaseUri)).ReadAsStringAsync())!;
        registration["onMovieAdded"] = false;
        (await host.Api.PostAsync(new Uri("api/v3/notification", UriKind.Relative), new StringContent(registration.ToJsonString(), Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();

        var movie = host.Simulator.Control.AddMovie("Quiet", 2020, 777_001, null, []);
        host.Simulator.Control.Import(movie.Id, null, [], upgrade: false);
        var received = await receiver.WaitForAsync(2);

        Assert.Equal(["Test", "Download"], received.Select(r => (string?)JsonNode.Parse(r.Body)!["eventType"]));
    }

    /// <summary>The simulator's payload and the example have the same member paths (names, casing, nesting); values may differ.</summary>
    private static void SameShape(string example, string body)
    {
        var expected = Paths(JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "tests", "Marquee.Simulators.Tests", "Arr", "TestData", "examples", example))));
        var actual = Paths(JsonNode.Parse(body));
        Assert.True(expected.SetEquals(actual), $"{example}: missing {string.Join(", ", expected.Except(actual))}; extra {string.Join(", ", actual.Except(expected))}");
    }

    private static HashSet<string> Paths(JsonNode? node, string at = "")
    {
        var paths = new HashSet<string>(StringComparer.Ordinal);
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj)
                {
                    Assert.NotNull(value); // nulls are omitted, never sent
                    paths.Add(at + "." + name);
                    paths.UnionWith(Paths(value, at + "." + name));
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    paths.UnionWith(Paths(item, at + "[]"));
                }

                break;
        }

        return paths;
    }
}
