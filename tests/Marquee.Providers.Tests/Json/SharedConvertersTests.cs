using Marquee.Providers.Jellyfin.Models;
using Marquee.Providers.Plex.Models;

namespace Marquee.Providers.Tests.Json;

public sealed class SharedConvertersTests
{
    [Fact]
    public void PlexAndJellyfin_ReadWithTheSameConverters_FromTheSharedJsonFolder()
    {
        var plex = PlexJson.Default.Options.Converters.Select(c => c.GetType()).ToList();
        var jellyfin = JellyfinJson.Default.Options.Converters.Select(c => c.GetType()).ToList();

        Assert.NotEmpty(plex);
        Assert.Equal(plex, jellyfin);
        Assert.All(plex, t => Assert.Equal("Marquee.Providers.Json", t.Namespace));
    }
}
