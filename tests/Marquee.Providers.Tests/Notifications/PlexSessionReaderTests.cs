using System.Text.Json;
using Marquee.Core.Notifications;
using Marquee.Providers.Plex;

namespace Marquee.Providers.Tests.Notifications;

/// <summary>The reading of <c>/status/sessions</c> (PLEX-API.md 6.1) for the digest and a play's activity: decision, bandwidth, location, codecs, resolution.</summary>
public sealed class PlexSessionReaderTests
{
    [Fact]
    public void Parse_ReadsTheDecisionBandwidthAndLocation_OfEachSession()
    {
        var root = JsonDocument.Parse(
            """
            {"MediaContainer":{"size":2,"Metadata":[
              {"sessionKey":"1","ratingKey":"11","type":"episode","title":"Who Is Alive?","grandparentTitle":"Severance","parentIndex":2,"index":3,"duration":3000000,"viewOffset":1500000,
               "Media":[{"videoCodec":"hevc","audioCodec":"eac3","videoResolution":"4k","container":"mkv","Part":[{"decision":"transcode"}]}],"User":{"id":"2","title":"anna"},
               "Player":{"title":"Living Room TV","platform":"webOS","state":"paused","machineIdentifier":"tv-1"},
               "Session":{"id":"s1","bandwidth":8000,"location":"wan"},"TranscodeSession":{"key":"/transcode/sessions/x","videoDecision":"transcode","audioDecision":"copy","videoCodec":"h264","audioCodec":"eac3","height":1080}},
              {"sessionKey":"2","ratingKey":"12","type":"movie","title":"Arrival","year":2016,"duration":6960000,"viewOffset":696000,
               "Media":[{"Part":[{"decision":"directplay"}]}],"User":{"id":"1","title":"bob"},"Player":{"title":"Shield","platform":"Android","state":"playing"},
               "Session":{"id":"s2","bandwidth":21000,"location":"lan"}}
            ]}}
            """).RootElement;

        var sessions = PlexSessionReader.Parse("home", root).ToList();

        Assert.Equal(
            [
                new ActiveSession("home", "anna", "Severance · S02E03 · Who Is Alive?", 50, "Living Room TV", "webOS", "paused", "transcode", 8000, "wan")
                {
                    LocalKey = "11", SessionKey = "1", UserId = "2", PlayerId = "tv-1", VideoCodec = "hevc → h264", AudioCodec = "eac3", Resolution = "4k → 1080", Container = "mkv",
                },
                new ActiveSession("home", "bob", "Arrival (2016)", 10, "Shield", "Android", "playing", "direct play", 21000, "lan") { LocalKey = "12", SessionKey = "2", UserId = "1" },
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
