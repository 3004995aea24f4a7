using Marquee.Bench.Sync;

namespace Marquee.Bench.Tests;

/// <summary>The simulators' process does not take a heap limit meant for Marquee.</summary>
public sealed class RemoteSimWorldTests
{
    [Fact]
    public void HeapLimits_AreDroppedFromTheSimulatorsEnvironment_TheRestStays()
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["DOTNET_GCHeapHardLimit"] = "0x10000000",
            ["DOTNET_GCHeapHardLimitPercent"] = "30",
            ["dotnet_gcheaphardlimitSOH"] = "0x8000000",
            ["DOTNET_GCConserveMemory"] = "9",
            ["PATH"] = "/usr/bin",
        };

        RemoteSimWorld.WithoutHeapLimits(environment);

        Assert.Equal(["DOTNET_GCConserveMemory", "PATH"], environment.Keys.Order(StringComparer.Ordinal));
    }
}
