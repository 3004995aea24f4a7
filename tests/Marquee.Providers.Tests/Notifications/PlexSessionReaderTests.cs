using System.Text.Json;
using Marquee.Core.Notifications;
using Marquee.Providers.Plex;

namespace Marquee.Providers.Tests.Notifications;

/// <summary>The sessions digest's reading of <c>/status/sessions</c> (PLEX-API.md 6.1): decision, bandwidth, location.</summary>
public sealed class PlexSessionReaderTests
{
    [Fact]
    public void Parse_ReadsTheDecisionBandwidthAndLocation_OfEachSession()
    {
        var root = JsonDocument.Parse(
            """
            {"MediaContainer":{"size":2,"Metadata":[
              {"sessionKey":"1","ratingKey":"11","type":"episode","title":"Who Is Alive?","grandparentTitle":"Severance","parentIndex":2,"index":3,"duration":3000000,"viewOffset":1500000,
               "Media":[{"Part":[{"decision":"transcode"}]}],"User":{"id":"2","title":"anna"},"Player":{"title":"Living Room TV","platform":"webOS","state":"paused"},
               "Session":{"id":"s1","bandwidth":8000,"location":"wan"},"TranscodeSession":{"key":"/transcode/sessions/x","videoDecision":"transcode","audioDecision":"copy"}},
              {"sessionKey":"2","ratingKey":"12","type":"movie","title":"Arrival","year":2016,"duration":6960000,"viewOffset":696000,
               "Media":[{"Part":[{"decision":"directplay"}]}],"User":{"id":"1","title":"bob"},"Player":{"title":"Shield","platform":"Android","state":"playing"},
               "Session":{"id":"s2","bandwidth":21000,"location":"lan"}}
            ]}}
            """).RootElement;

        var sessions = PlexSessionReader.Parse("home", root).ToList();

        Assert.Equal(
            [
                new ActiveSession("home", "anna", "Severance · S02E03 · Who Is Alive?", 50, "Living Room TV", "webOS", "paused", "transcode", 8000, "wan"),
                new ActiveSession("home", "bob", "Arrival (2016)", 10, "Shield", "Android", "playing", "direct play", 21000, "lan"),
            ],
            sessions);
        Assert.Equal(
            "**anna** · Severance · S02E03 · Who Is Alive? · 50% · Living Room TV (webOS) · transcode · 8.0 Mbps · remote · paused\n**bob** · Arrival (2016) · 10% · Shield (Android) · direct play · 21.0 Mbps · local",
            SessionDigest.Describe(sessions).ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Parse_AnEmptyOrOddAnswer_HasNoSessions()
    {
        Assert.Empty(PlexSessionReader.Parse("home", JsonDocument.Parse("""{"MediaContainer":{"size":0}}""").RootElement));
        Assert.Empty(PlexSessionReader.Parse("home", JsonDocument.Parse("[]").RootElement));
    }
}
