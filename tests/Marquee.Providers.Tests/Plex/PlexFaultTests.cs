using System.Diagnostics;
using Marquee.Core.Providers;
using Marquee.Simulators.Infrastructure;
using Marquee.Simulators.Plex.Model;

namespace Marquee.Providers.Tests.Plex;

/// <summary>
/// Fault injection: reads are retried with back-off (Retry-After honoured) and succeed once the fault passes, or fail
/// with a message naming the server and the endpoint; writes are sent exactly once.
/// </summary>
public sealed class PlexFaultTests : IAsyncLifetime
{
    private const string Sections = "GET /library/sections";
    private const string Scrobble = "PUT /:/scrobble";

    private PlexTestServer _server = null!;

    public static TheoryData<string> Faults => new() { "500", "503", "429", "timeout", "reset", "malformed" };

    public static TheoryData<string> WriteFaults => new() { "500", "503", "429", "timeout", "reset" };

    public async Task InitializeAsync()
    {
        // Long enough that a busy machine's first connection is not itself a timeout (an attempt the server never saw).
        _server = await PlexTestServer.StartAsync(configure: o =>
        {
            o.RequestTimeout = TimeSpan.FromSeconds(2);
            o.RetryDelay = TimeSpan.FromMilliseconds(100);
            o.MaxRetries = 2;
        });

        // Warm: the connection is open and the server's first-request work done before any fault is set.
        await _server.Provider().ListLibrariesAsync(_server.Account("owner"), CancellationToken.None);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task Read_TransientFault_IsRetriedAndSucceeds(string fault)
    {
        var provider = _server.Provider();
        var before = _server.SimCount(Sections);
        _server.Fault(Sections, Spec(fault) with { Times = 1 });

        var libraries = await provider.ListLibrariesAsync(_server.Account("owner"), CancellationToken.None);

        Assert.Equal(4, libraries.Count);
        Assert.Equal(before + 2, _server.SimCount(Sections));
    }

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task Read_PersistentFault_FailsNamingServerAndEndpoint(string fault)
    {
        var provider = _server.Provider();
        var before = _server.SimCount(Sections);
        _server.Fault(Sections, Spec(fault));

        var ex = await Assert.ThrowsAsync<ProviderException>(() => provider.ListLibrariesAsync(_server.Account("owner"), CancellationToken.None));

        Assert.Contains($"Plex server '{PlexTestServer.ConnectionName}'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("GET /library/sections", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_server.OwnerSim.ServerToken, ex.Message, StringComparison.Ordinal);
        Assert.Equal("GET /library/sections", ex.Endpoint);
        Assert.Equal(before + 3, _server.SimCount(Sections)); // first try + MaxRetries
        Assert.Contains(fault switch
        {
            "500" => "500",
            "503" => "503",
            "429" => "429",
            "timeout" => "no answer within",
            "reset" => "conn",
            _ => "not the expected JSON",
        }, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_TooManyRequests_WaitsForRetryAfter()
    {
        var provider = _server.Provider();
        var before = _server.SimCount(Sections);
        _server.Fault(Sections, new FaultSpec { TooManyRequests = 1, RetryAfterSeconds = 2, Times = 1 });
        var watch = Stopwatch.StartNew();

        await provider.ListLibrariesAsync(_server.Account("owner"), CancellationToken.None);

        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(1.9), $"retried after {watch.Elapsed}");
        Assert.Equal(before + 2, _server.SimCount(Sections));
    }

    [Theory]
    [MemberData(nameof(WriteFaults))]
    public async Task Write_AnyFault_IsSentOnceAndSurfaces(string fault)
    {
        var provider = _server.Provider();
        var movie = _server.Sim.State.ItemsOfType(1, ItemType.Movie).First(m => _server.Sim.State.State(_server.OwnerSim, m).ViewCount == 0);
        _server.Fault(Scrobble, Spec(fault));
        var before = _server.SimCount(Scrobble);

        var ex = await Assert.ThrowsAsync<ProviderException>(() => provider.MarkWatchedAsync(_server.Account("owner"), PlexProviderTests.Key(movie), null, CancellationToken.None));

        Assert.Equal(before + 1, _server.SimCount(Scrobble));
        Assert.Contains("PUT /:/scrobble", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"'{PlexTestServer.ConnectionName}'", ex.Message, StringComparison.Ordinal);
        if (fault is "500" or "503" or "429")
        {
            Assert.Equal(0, _server.Sim.State.State(_server.OwnerSim, movie).ViewCount);
        }

        // Let the held request (timeout) finish before the next test counts.
        await Task.Delay(fault == "timeout" ? 100 : 0);
        Assert.Equal(before + 1, _server.SimCount(Scrobble));
    }

    [Fact]
    public async Task Write_MalformedBody_IsNotAnErrorForWritesThatReturnNothing()
    {
        // Writes succeed with an empty body (PLEX-API.md 1.2); Marquee does not parse it, so a garbled one is fine too.
        var provider = _server.Provider();
        var movie = _server.Sim.State.ItemsOfType(1, ItemType.Movie).First(m => _server.Sim.State.State(_server.OwnerSim, m).ViewCount == 0);
        _server.Fault(Scrobble, new FaultSpec { MalformedJson = 1 });

        await provider.MarkWatchedAsync(_server.Account("owner"), PlexProviderTests.Key(movie), null, CancellationToken.None);

        Assert.Equal(1, _server.SimCount(Scrobble));
    }

    [Fact]
    public async Task Concurrency_IsBoundedPerServer()
    {
        _server.Control.SetFault(Sections, new FaultSpec { LatencyMs = 150 });
        var provider = _server.Provider(settings: _server.Settings(maxConcurrency: 1));
        var watch = Stopwatch.StartNew();

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => provider.ListLibrariesAsync(_server.Account("owner"), CancellationToken.None)));

        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(590), $"4 calls of 150 ms with one slot took {watch.Elapsed}");
    }

    private static FaultSpec Spec(string fault) => fault switch
    {
        "500" => new FaultSpec { Error500 = 1 },
        "503" => new FaultSpec { Error503 = 1 },
        "429" => new FaultSpec { TooManyRequests = 1, RetryAfterSeconds = 1 },
        "timeout" => new FaultSpec { Timeout = 1 },
        "reset" => new FaultSpec { ConnectionReset = 1 },
        _ => new FaultSpec { MalformedJson = 1 },
    };
}
