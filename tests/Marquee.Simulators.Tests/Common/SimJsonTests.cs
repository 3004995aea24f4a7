using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Marquee.Simulators.Infrastructure;
using Marquee.Simulators.Tests.Trakt;

namespace Marquee.Simulators.Tests.Common;

/// <summary>A request body naming a key twice is read as the real servers read it (the last value wins), never a 500.</summary>
public sealed class SimJsonTests
{
    [Fact]
    public async Task AKeyNamedTwice_TakesItsLastValue_AtEveryDepth_AndInvalidJsonStillThrows()
    {
        var node = await ParseAsync("""{"a":1,"b":{"c":"x","c":"y"},"a":2,"list":[{"d":true,"d":false},null,3.5]}""", null);
        var insensitive = await ParseAsync("""{"Name":"first","name":"second"}""", new JsonNodeOptions { PropertyNameCaseInsensitive = true });

        Assert.Equal(2, node!["a"]!.GetValue<int>());
        Assert.Equal("y", node["b"]!["c"]!.GetValue<string>());
        Assert.False(node["list"]![0]!["d"]!.GetValue<bool>());
        Assert.Null(node["list"]![1]);
        Assert.Equal(3.5, node["list"]![2]!.GetValue<double>());
        Assert.Equal("second", insensitive!["NAME"]!.GetValue<string>());
        await Assert.ThrowsAnyAsync<JsonException>(() => ParseAsync("""{"a":""", null));
    }

    [Fact]
    public async Task TraktHistoryAdd_WithAKeyNamedTwice_IsAcceptedWithTheLastValue()
    {
        await using var host = await TraktSimHost.StartAsync();
        using var client = host.Client();
        var body = $$$"""{"movies":[{"ids":{"trakt":999999999}}],"movies":[{"ids":{"trakt":{{{host.Movie(0).Trakt}}}}}]}""";

        using var response = await client.PostAsync("sync/history", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Single(host.Control.Dump("anna").Plays);
    }

    private static async Task<JsonNode?> ParseAsync(string json, JsonNodeOptions? options)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(json));
        return await SimJson.ParseAsync(stream, options, CancellationToken.None);
    }
}
