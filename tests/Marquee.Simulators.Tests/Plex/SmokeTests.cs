using Xunit.Abstractions;

namespace Marquee.Simulators.Tests.Plex;

public sealed class SmokeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Identity_Anonymous_ReturnsMachineIdentifier()
    {
        await using var host = await SimHost.StartAsync();
        var mc = await SimHost.ContainerAsync(host.Pms(null), "/identity");
        Assert.Equal(host.Sim.MachineIdentifier, mc.GetProperty("machineIdentifier").GetString());
        output.WriteLine(host.Sim.Describe());
        var all = await SimHost.ContainerAsync(host.Pms(host.Owner.AccountToken), "/library/sections/1/all?includeGuids=1&X-Plex-Container-Start=0&X-Plex-Container-Size=2");
        output.WriteLine(all.ToString());
        var xml = await SimHost.XmlAsync(host.Pms(host.Owner.AccountToken, json: false), "/library/sections/2/all?type=4&X-Plex-Container-Size=2");
        output.WriteLine(xml.ToString());
    }
}
