using Marquee.Core.Providers;
using Marquee.Providers.Plex;
using Marquee.Simulators.Plex;
using Marquee.Simulators.Plex.Model;
using Microsoft.Extensions.DependencyInjection;

namespace Marquee.Providers.Tests.Plex;

/// <summary>A listing asks for its next pages while the page it has is handed on, with the same requests as one page at a time.</summary>
public sealed class PlexPagingTests
{
    private const string Pages = "GET /library/sections/{id}/all";

    [Fact]
    public async Task ReadAsync_AsksForTheNextTwoPages_BeforeThisPageIsHandedOn()
    {
        await using var server = await StartAsync();
        await using var items = server.Provider().ReadAsync(server.Account(server.OwnerSim), WatchStateQuery.Full, CancellationToken.None).GetAsyncEnumerator();

        Assert.True(await items.MoveNextAsync());

        // Only the first item of the first page (of three: 2,500 movies, 1,000 a page) is taken: the second and the third
        // are asked for without another one.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (server.SimCount(Pages) < 3 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.Equal(3, server.SimCount(Pages));
    }

    /// <summary>
    /// A server that sends pages of another size than asked (fewer: it caps them; more: it ignores the size) leaves the
    /// pages asked for ahead starting at the wrong place: they are dropped, and the listing goes on from where each page
    /// ended. Every item is listed once, none skipped, with at most one page asked for in vain.
    /// </summary>
    [Theory]
    [InlineData(300)]
    [InlineData(1_300)]
    public async Task ReadAsync_ServerSendingPagesOfAnotherSize_ListsEveryItemOnce(int served)
    {
        await using var server = await PlexTestServer.StartAsync(
            new PlexSimulatorOptions { Movies = 2_500, Shows = 0, HomeUsers = 1, Friends = 1, ClockStart = PlexTestServer.Start },
            services: s => s.ConfigureHttpClientDefaults(b => b.AddHttpMessageHandler(() => new PageSize(served))));
        var keys = new List<string>();
        await foreach (var item in server.Provider().ReadAsync(server.Account(server.OwnerSim), WatchStateQuery.Full, CancellationToken.None))
        {
            keys.Add(item.Item.LocalKey);
        }

        var movies = server.Sim.State.Sections.Where(s => s.Type == "movie").Sum(s => server.Sim.State.ItemsOfType(s.Id, ItemType.Movie).Count);
        Assert.Equal(movies, keys.Count);
        Assert.Equal(movies, keys.Distinct(StringComparer.Ordinal).Count());
        var needed = server.Sim.State.Sections.Sum(s => Math.Max(1, (server.Sim.State.ItemsOfType(s.Id, s.Type == "movie" ? ItemType.Movie : ItemType.Show).Count + served - 1) / served));
        Assert.InRange(server.SimCount(Pages), needed, needed + server.Sim.State.Sections.Count);
    }

    [Fact]
    public async Task ReadAsync_WithPagesAskedAhead_MakesTheSameRequestsAndListsEveryItemOnce()
    {
        await using var server = await StartAsync();
        var state = server.Sim.State;
        var counts = new RequestCounts();
        var keys = new List<string>();
        await foreach (var item in server.Provider(counts).ReadAsync(server.Account(server.OwnerSim), WatchStateQuery.Full, CancellationToken.None))
        {
            keys.Add(item.Item.LocalKey);
        }

        var expectedPages = state.Sections.Sum(s => s.Type == "movie"
            ? Math.Max(1, (state.ItemsOfType(s.Id, ItemType.Movie).Count + 999) / 1000)
            : Math.Max(1, (state.ItemsOfType(s.Id, ItemType.Show).Count + 999) / 1000) + Math.Max(1, (state.ItemsOfType(s.Id, ItemType.Episode).Count + 999) / 1000));
        Assert.Equal(expectedPages, server.SimCount(Pages));
        Assert.Equal(keys.Count, keys.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(state.Sections.Sum(s => state.ItemsOfType(s.Id, s.Type == "movie" ? ItemType.Movie : ItemType.Episode).Count), keys.Count);
    }

    [Fact]
    public async Task ReadAsync_LeftAfterTheFirstItem_EndsWithoutError_AndAsksForNothingMore()
    {
        await using var server = await StartAsync();
        await using (var items = server.Provider().ReadAsync(server.Account(server.OwnerSim), WatchStateQuery.Full, CancellationToken.None).GetAsyncEnumerator())
        {
            Assert.True(await items.MoveNextAsync());
        }

        // A page asked ahead may reach the server just after the listing was left (its request was on its way when it
        // was cancelled), but nothing beyond the first page and the two asked ahead is ever asked for.
        var asked = server.SimCount(Pages);
        await Task.Delay(200);
        Assert.InRange(asked, 1, 3);
        Assert.InRange(server.SimCount(Pages), asked, 3);
    }

    [Fact]
    public async Task ReadAsync_AsksEveryListingToLeaveOutTheFieldsItsReaderDoesNotRead()
    {
        var asked = new System.Collections.Concurrent.ConcurrentQueue<Uri>();
        await using var server = await PlexTestServer.StartAsync(services: s => s.ConfigureHttpClientDefaults(b => b.AddHttpMessageHandler(() => new Recording(asked))));
        var listed = 0;
        await foreach (var item in server.Provider().ReadAsync(server.Account(server.OwnerSim), WatchStateQuery.Full, CancellationToken.None))
        {
            listed++;
        }

        var listings = asked.Where(u => u.AbsolutePath.EndsWith("/all", StringComparison.Ordinal)).ToList();
        Assert.True(listed > 0);
        Assert.NotEmpty(listings);
        Assert.All(listings, u => Assert.Contains("&excludeFields=" + PlexProvider.Unread + "&", u.Query, StringComparison.Ordinal));
    }

    private static Task<PlexTestServer> StartAsync() => PlexTestServer.StartAsync(new PlexSimulatorOptions
    {
        Movies = 2_500,
        Shows = 2,
        HomeUsers = 1,
        Friends = 1,
        ClockStart = PlexTestServer.Start,
    });

    /// <summary>Stands for a server whose pages hold <paramref name="served"/> items whatever size is asked for.</summary>
    private sealed class PageSize(int served) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var uri = request.RequestUri!.ToString();
            var size = System.Text.RegularExpressions.Regex.Match(uri, "X-Plex-Container-Size=[0-9]+");
            if (size.Success)
            {
                request.RequestUri = new Uri(uri.Replace(size.Value, $"X-Plex-Container-Size={served}", StringComparison.Ordinal));
            }

            return base.SendAsync(request, cancellationToken);
        }
    }

    /// <summary>Notes the address of every request the provider sends.</summary>
    private sealed class Recording(System.Collections.Concurrent.ConcurrentQueue<Uri> asked) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            asked.Enqueue(request.RequestUri!);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
