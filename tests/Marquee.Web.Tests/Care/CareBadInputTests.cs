using Marquee.Web.Tests.Infrastructure;

namespace Marquee.Web.Tests.Care;

/// <summary>Malformed rules and trash settings are a 400 naming the field, and nothing is stored.</summary>
public sealed class CareBadInputTests
{
    public static TheoryData<string, string> BadRules => new()
    {
        { """{"action":"kill","message":"x","remote":true}""", "action" },
        { """{"action":"stop","remote":true}""", "message" },
        { """{"action":"stop","message":"x"}""", "conditions" },
        { """{"action":"stop","message":"x","transcode":"sometimes"}""", "transcode" },
        { """{"action":"stop","message":"x","minResolution":"huge"}""", "minResolution" },
        { """{"action":"stop","message":"x","maxStreamsPerUser":-1}""", "maxStreamsPerUser" },
        { """{"action":"stop","message":"x","maxStreamsPerServer":-2}""", "maxStreamsPerServer" },
        { """{"action":"stop","message":"x","remote":true,"minBandwidthKbps":-5}""", "minBandwidthKbps" },
        { """{"action":"stop","message":"x","pausedMinutes":-1}""", "pausedMinutes" },
        { """{"action":"stop","message":"x","graceSeconds":-1,"remote":true}""", "graceSeconds" },
        { """{"action":"stop","message":"x","between":"25:00-26:00"}""", "between" },
        { """{"action":"stop","message":"x","devices":[""]}""", "devices" },
        { """{"action":"stop","message":"x","users":["nobody-here"]}""", "users" },
        { """{"action":"stop","message":"x","remote":true,"exemptUsers":["ghost"]}""", "exemptUsers" },
        { """{"action":"stop","message":"x","remote":true,"connection":"missing"}""", "connection" },
        { """{"action":"stop","message":"x","remote":"yes"}""", "remote" },
        { """{"action":"stop","message":"x","remote":true,"colour":"red"}""", "colour" },
    };

    public static TheoryData<string, string> BadTrash => new()
    {
        { """{"library":"Movies","schedule":"every night","maxItems":5}""", "schedule" },
        { """{"library":"Movies","schedule":"0 3 * * *","maxItems":-1}""", "maxItems" },
        { """{"library":"Movies","frequency":"fortnightly"}""", "frequency" },
        { """{"library":"Movies","frequency":"daily","at":"3am"}""", "at" },
        { """{"library":"Movies","at":"03:00"}""", "frequency" },
        { """{"library":"Nope","frequency":"daily"}""", "library" },
        { """{"frequency":"daily"}""", "library" },
    };

    [Theory]
    [MemberData(nameof(BadRules))]
    public async Task BadRule_Is400NamingTheField(string body, string field)
    {
        await using var kit = await CareKit.StartAsync();

        using var response = await kit.App.PutRawAsync("/api/care/rules/bad", body);

        await kit.App.AssertFieldErrorAsync(response, field);
        Assert.Equal(0, (await kit.App.JsonAsync(await kit.App.Client.GetAsync(new Uri("/api/care/rules", UriKind.Relative)))).GetArrayLength());
    }

    [Theory]
    [MemberData(nameof(BadTrash))]
    public async Task BadTrashSetting_Is400NamingTheField(string body, string field)
    {
        await using var kit = await CareKit.StartAsync();

        using var response = await kit.App.PutRawAsync("/api/trash/settings", body);

        await kit.App.AssertFieldErrorAsync(response, field);
        Assert.Equal(0, (await kit.App.JsonAsync(await kit.App.Client.GetAsync(new Uri("/api/trash/settings", UriKind.Relative)))).GetArrayLength());
    }

    [Theory]
    [InlineData("/api/trash/Movies/empty?maxItems=-1", "maxItems")]
    [InlineData("/api/trash/Nope/empty", "library")]
    public async Task BadEmpty_Is400NamingTheField_AndEmptiesNothing(string path, string field)
    {
        await using var kit = await CareKit.StartAsync();

        using var response = await kit.App.Client.PostAsync(new Uri(path, UriKind.Relative), null);

        await kit.App.AssertFieldErrorAsync(response, field);
        Assert.Equal(0, kit.Control.RequestCounts.GetValueOrDefault("PUT /library/sections/{id}/emptyTrash"));
    }

    [Fact]
    public async Task GoodRule_RoundTrips_AndUnknownRuleIs404()
    {
        await using var kit = await CareKit.StartAsync();
        await kit.RuleAsync("two-per-friend", new { action = "stop", message = "Two streams", maxStreamsPerUser = 2, exemptUsers = new[] { "owner" }, graceSeconds = 30 });

        var rule = await kit.App.JsonAsync(await kit.App.Client.GetAsync(new Uri("/api/care/rules/two-per-friend", UriKind.Relative)));
        using var missing = await kit.App.Client.GetAsync(new Uri("/api/care/rules/nope", UriKind.Relative));
        using var deleted = await kit.App.Client.DeleteAsync(new Uri("/api/care/rules/two-per-friend", UriKind.Relative));

        Assert.Equal((2, 30, "owner"), (rule.GetProperty("maxStreamsPerUser").GetInt32(), rule.GetProperty("graceSeconds").GetInt32(), rule.GetProperty("exemptUsers")[0].GetString()));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.NoContent, deleted.StatusCode);
    }

    [Fact]
    public async Task ActionsLimit_OutOfRange_Is400()
    {
        await using var kit = await CareKit.StartAsync();

        using var response = await kit.App.Client.GetAsync(new Uri("/api/sessions/actions?limit=0", UriKind.Relative));

        await kit.App.AssertFieldErrorAsync(response, "limit");
    }
}
