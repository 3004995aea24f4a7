using Marquee.Bench.Sync;
using Marquee.Core.Flows;
using Marquee.TestKit;

namespace Marquee.Bench.Tests;

/// <summary>
/// A reference world in a folder of its own with one two-way flow, as the tests of what a run holds, frees and plans
/// start: Marquee's real providers and SQLite store over simulated servers on loopback, the accounts diverged first when
/// asked. Disposing it stops the world and deletes the folder.
/// </summary>
internal sealed class TwoWayWorld : IAsyncDisposable
{
    private static readonly string[] AllFeatures = [FlowFeature.Watched, FlowFeature.Ratings, FlowFeature.Progress];
    private readonly TempFolder _folder;

    private TwoWayWorld(TempFolder folder, ReferenceWorld world, Flow flow) => (_folder, World, Flow) = (folder, world, flow);

    public ReferenceWorld World { get; }

    public Flow Flow { get; }

    /// <summary>Starts the world of <paramref name="size"/>, diverges each account's share of items with the seed given, and adds the flow (every watch-state feature unless <paramref name="features"/> names some).</summary>
    public static async Task<TwoWayWorld> StartAsync(WorldSize size, (double Share, int Seed)? diverge = null, IReadOnlyList<string>? features = null)
    {
        var folder = new TempFolder();
        ReferenceWorld? world = null;
        try
        {
            world = await ReferenceWorld.StartAsync(size, folder.Path, CancellationToken.None);
            if (diverge is var (share, seed))
            {
                await world.Sims.DivergeAsync(share, seed, perItem: false, accounts: null);
            }

            var flow = await world.AddFlowAsync(twoWay: true, features ?? AllFeatures, null, CancellationToken.None);
            return new TwoWayWorld(folder, world, flow);
        }
        catch
        {
            if (world is not null)
            {
                await world.DisposeAsync();
            }

            folder.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await World.DisposeAsync();
        _folder.Dispose();
    }
}
