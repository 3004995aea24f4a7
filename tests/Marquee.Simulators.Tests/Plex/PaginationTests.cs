using System.Net.Http.Headers;

namespace Marquee.Simulators.Tests.Plex;

/// <summary>PLEX-API.md 10 item 3 and 1.4.</summary>
public sealed class PaginationTests
{
    [Fact]
    public async Task SectionAll_HeaderPaging_ReturnsPageAndTotals()
    {
        await using var host = await SimHost.StartAsync();
        var client = host.Pms(host.Owner.AccountToken);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/library/sections/1/all", UriKind.Relative));
        request.Headers.Add("X-Plex-Container-Start", "5");
        request.Headers.Add("X-Plex-Container-Size", "10");
        using var response = await client.SendAsync(request);
        var mc = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("MediaContainer");
        var total = host.Sim.State.ItemsOfType(1, Marquee.Simulators.Plex.Model.ItemType.Movie).Count;
        Assert.Equal(10, mc.GetProperty("size").GetInt32());
        Assert.Equal(5, mc.GetProperty("offset").GetInt32());
        Assert.Equal(total, mc.GetProperty("totalSize").GetInt32());
        Assert.Equal("5", Header(response.Headers, "X-Plex-Container-Start"));
        Assert.Equal(total.ToString(System.Globalization.CultureInfo.InvariantCulture), Header(response.Headers, "X-Plex-Container-Total-Size"));
    }

    [Fact]
    public async Task SectionAll_QueryPaging_WalksWholeSectionWithoutDuplicates()
    {
        await using var host = await SimHost.StartAsync();
        var client = host.Pms(host.Owner.AccountToken);
        var seen = new List<string>();
        int start = 0, total;
        do
        {
            var mc = await SimHost.ContainerAsync(client, $"/library/sections/2/all?type=4&X-Plex-Container-Start={start}&X-Plex-Container-Size=7");
            total = mc.GetProperty("totalSize").GetInt32();
            var size = mc.GetProperty("size").GetInt32();
            seen.AddRange(SimHost.Metadata(mc).Select(m => m.GetProperty("ratingKey").GetString()!));
            start += size;
            if (size == 0)
            {
                break;
            }
        }
        while (start < total);
        Assert.Equal(total, seen.Count);
        Assert.Equal(total, seen.Distinct().Count());
    }

    [Fact]
    public async Task SectionAll_SizeZero_ReturnsCountOnly()
    {
        await using var host = await SimHost.StartAsync();
        var mc = await SimHost.ContainerAsync(host.Pms(host.Owner.AccountToken), "/library/sections/1/all?X-Plex-Container-Start=0&X-Plex-Container-Size=0");
        Assert.Equal(0, mc.GetProperty("size").GetInt32());
        Assert.True(mc.GetProperty("totalSize").GetInt32() > 0);
        Assert.False(mc.TryGetProperty("Metadata", out _));
    }

    [Fact]
    public async Task SectionAll_StartPastEnd_ReturnsEmptyPageWithTotal()
    {
        await using var host = await SimHost.StartAsync();
        var mc = await SimHost.ContainerAsync(host.Pms(host.Owner.AccountToken), "/library/sections/1/all?X-Plex-Container-Start=100000&X-Plex-Container-Size=50");
        Assert.Equal(0, mc.GetProperty("size").GetInt32());
        Assert.True(mc.GetProperty("totalSize").GetInt32() > 0);
        Assert.False(mc.TryGetProperty("Metadata", out _));
    }

    [Fact]
    public async Task SectionAll_NoPaging_ReturnsEverything()
    {
        await using var host = await SimHost.StartAsync();
        var mc = await SimHost.ContainerAsync(host.Pms(host.Owner.AccountToken), "/library/sections/1/all");
        Assert.Equal(mc.GetProperty("totalSize").GetInt32(), mc.GetProperty("size").GetInt32());
        Assert.Equal(host.Sim.State.ItemsOfType(1, Marquee.Simulators.Plex.Model.ItemType.Movie).Count, SimHost.Metadata(mc).Count());
    }

    [Fact]
    public async Task SectionAll_Limit_CapsTotal()
    {
        await using var host = await SimHost.StartAsync();
        var mc = await SimHost.ContainerAsync(host.Pms(host.Owner.AccountToken), "/library/sections/1/all?limit=3");
        Assert.Equal(3, mc.GetProperty("totalSize").GetInt32());
    }

    private static string? Header(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.Single() : null;
}
