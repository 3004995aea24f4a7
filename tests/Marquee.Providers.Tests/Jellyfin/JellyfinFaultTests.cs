using System.Diagnostics;
using System.Net;
using Marquee.Core.Providers;
using Marquee.Simulators.Infrastructure;

namespace Marquee.Providers.Tests.Jellyfin;

/// <summary>Faults injected by the simulator: reads are retried (honouring Retry-After), writes are sent once and fail clearly.</summary>
public sealed class JellyfinFaultTests
{
    private const string Items = "GET /Items";
    private const string Played = "POST /UserPlayedItems/{itemId}";

    public static TheoryData<string> ReadFaults => new() { "500", "503", "429", "timeout", "reset", "malformed" };

    [Theory]
    [MemberData(nameof(ReadFaults))]
    public async Task Read_TransientFault_IsRetried_AndSucceeds(string fault)
    {
        await using var server = await JellyfinTestServer.StartAsync();
        var provider = server.Provider(JellyfinAuthMode.ApiKey);
        var account = server.Account("admin");
        var movie = server.Sim.State.Items().First(i => i.Type == "Movie");
        server.Control.SetFault(Items, Spec(fault, 1));
        var heal = Task.Run(async () =>
        {
            while (server.Control.RequestCounts.GetValueOrDefault(Items) < 1)
            {
                await Task.Delay(10);
            }

            server.Control.ClearFaults();
        });

        var read = await provider.ReadItemAsync(account, movie.Id, CancellationToken.None);
        await heal;

        Assert.NotNull(read);
        Assert.True(server.Requests.Snapshot()[Items] >= 2);
    }

    [Fact]
    public async Task Read_429_WaitsForRetryAfter()
    {
        await using var server = await JellyfinTestServer.StartAsync();
        var provider = server.Provider(JellyfinAuthMode.ApiKey);
        var movie = server.Sim.State.Items().First(i => i.Type == "Movie");
        server.Control.SetFault(Items, new FaultSpec { TooManyRequests = 1, RetryAfterSeconds = 1 });
        var watch = Stopwatch.StartNew();
        var heal = Task.Run(async () =>
        {
            while (server.Control.RequestCounts.GetValueOrDefault(Items) < 1)
            {
                await Task.Delay(10);
            }

            server.Control.ClearFaults();
        });

        await provider.ReadItemAsync(server.Account("admin"), movie.Id, CancellationToken.None);
        await heal;

        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(0.9), $"retried after {watch.Elapsed}");
    }

    [Theory]
    [InlineData("500")]
    [InlineData("503")]
    public async Task Read_PersistentFault_FailsClearly_NamingServerAndEndpoint(string fault)
    {
        await using var server = await JellyfinTestServer.StartAsync();
        server.Control.SetFault(Items, Spec(fault, 1));

        var error = await Assert.ThrowsAsync<ProviderException>(() => server.Provider(JellyfinAuthMode.ApiKey).ReadAsync(server.Account("admin"), WatchStateQuery.Full, CancellationToken.None).ToListAsync().AsTask());

        Assert.Equal((HttpStatusCode)int.Parse(fault, System.Globalization.CultureInfo.InvariantCulture), error.Status);
        Assert.Contains("Jellyfin server 'media'", error.Message, StringComparison.Ordinal);
        Assert.Contains(Items, error.Message, StringComparison.Ordinal);
        Assert.Equal(Items, error.Endpoint);
        Assert.Equal(4, server.Requests.Snapshot()[Items]);
    }

    public static TheoryData<string> WriteFaults => new() { "500", "503", "429", "timeout", "reset" };

    [Theory]
    [MemberData(nameof(WriteFaults))]
    public async Task Write_Fault_IsNotRepeated_AndFailsClearly(string fault)
    {
        await using var server = await JellyfinTestServer.StartAsync();
        var provider = server.Provider(JellyfinAuthMode.ApiKey);
        var movie = server.Sim.State.Items().First(i => i.Type == "Movie");
        server.Control.SetFault(Played, Spec(fault, 1));

        var error = await Assert.ThrowsAsync<ProviderException>(() => provider.MarkWatchedAsync(server.Account("admin"), movie.Id, DateTimeOffset.UnixEpoch, CancellationToken.None));

        Assert.Equal(1, server.Control.RequestCounts[Played]);
        Assert.Equal(1, server.Requests.Snapshot()[Played]);
        Assert.Contains(Played, error.Message, StringComparison.Ordinal);
        Assert.False(server.Control.Data("admin", movie.Id).Played);
    }

    [Fact]
    public async Task Write_MalformedAnswer_IsNotRepeated()
    {
        await using var server = await JellyfinTestServer.StartAsync();
        var movie = server.Sim.State.Items().First(i => i.Type == "Movie");
        server.Control.SetFault(Played, new FaultSpec { MalformedJson = 1 });

        var error = await Assert.ThrowsAsync<ProviderException>(() => server.Provider(JellyfinAuthMode.ApiKey).MarkWatchedAsync(server.Account("admin"), movie.Id, null, CancellationToken.None));

        Assert.Equal(1, server.Control.RequestCounts[Played]);
        Assert.Contains("not the expected JSON", error.Message, StringComparison.Ordinal);
    }

    private static FaultSpec Spec(string fault, double rate) => fault switch
    {
        "500" => new FaultSpec { Error500 = rate },
        "503" => new FaultSpec { Error503 = rate },
        // One second, honoured by the client, lets the test clear the fault before the retry arrives.
        "429" => new FaultSpec { TooManyRequests = rate, RetryAfterSeconds = 1 },
        "timeout" => new FaultSpec { Timeout = rate },
        "reset" => new FaultSpec { ConnectionReset = rate },
        _ => new FaultSpec { MalformedJson = rate },
    };
}
