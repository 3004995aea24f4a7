using System.Xml.Linq;

namespace Marquee.Simulators.Tests.Plex;

/// <summary>PLEX-API.md 10 item 2 and 1.3a: XML unless JSON is asked for.</summary>
public sealed class FormatTests
{
    [Fact]
    public async Task Sections_NoAcceptHeader_ReturnsXmlWithDeclaration()
    {
        await using var host = await SimHost.StartAsync();
        using var response = await host.Pms(host.Owner.AccountToken, json: false).GetAsync(new Uri("/library/sections", UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal("text/xml", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"utf-8\"?>", body, StringComparison.OrdinalIgnoreCase);
        var root = XDocument.Parse(body).Root!;
        Assert.Equal("MediaContainer", root.Name.LocalName);
        Assert.All(root.Elements(), d => Assert.Equal("Directory", d.Name.LocalName));
    }

    [Fact]
    public async Task SectionAll_Xml_MoviesAreVideoAndShowsAreDirectory()
    {
        await using var host = await SimHost.StartAsync();
        var client = host.Pms(host.Owner.AccountToken, json: false);
        var movies = await SimHost.XmlAsync(client, "/library/sections/1/all?includeGuids=1");
        var shows = await SimHost.XmlAsync(client, "/library/sections/2/all");
        Assert.All(movies.Elements(), v =>
        {
            Assert.Equal("Video", v.Name.LocalName);
            Assert.Equal("movie", (string?)v.Attribute("type"));
        });
        Assert.All(shows.Elements(), d =>
        {
            Assert.Equal("Directory", d.Name.LocalName);
            Assert.EndsWith("/children", (string?)d.Attribute("key"), StringComparison.Ordinal);
        });
        Assert.Contains(movies.Elements().SelectMany(v => v.Elements("Guid")), g => ((string?)g.Attribute("id"))!.StartsWith("imdb://", StringComparison.Ordinal));
        Assert.Contains(movies.Elements().SelectMany(v => v.Elements("Media").Elements("Part")), p => p.Attribute("file") is not null);
    }

    [Fact]
    public async Task Metadata_Xml_BooleansAreOneAndZero()
    {
        await using var host = await SimHost.StartAsync();
        var movie = host.FirstMovie();
        var owner = host.Pms(host.Owner.AccountToken);
        (await owner.PutAsync(new Uri($"/library/sections/1/all?type=1&id={movie}&label.locked=1", UriKind.Relative), null)).EnsureSuccessStatusCode();
        var xml = await SimHost.XmlAsync(host.Pms(host.Owner.AccountToken, json: false), $"/library/metadata/{movie}");
        var field = xml.Element("Video")!.Element("Field")!;
        Assert.Equal("1", (string?)field.Attribute("locked"));
        Assert.Equal("1", (string?)xml.Attribute("allowSync"));
    }

    [Fact]
    public async Task Identity_AcceptJson_ReturnsMediaContainerJson()
    {
        await using var host = await SimHost.StartAsync();
        using var response = await host.Pms(null).GetAsync(new Uri("/identity", UriKind.Relative));
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var root = await SimHost.JsonAsync(host.Pms(null), "/identity");
        Assert.True(root.GetProperty("MediaContainer").GetProperty("claimed").GetBoolean());
    }
}
