using System.Net;

namespace Marquee.Web.Tests.Care;

/// <summary>Devices a session rule names must be known to Marquee: seen in an event or playing now.</summary>
public sealed class RuleDeviceTests
{
    [Fact]
    public async Task ADeviceNeverSeen_Is400ListingTheKnownDevices_AKnownOneIsAccepted_AndWithNothingKnownTheRuleIsKeptWithAWarning()
    {
        await using var kit = await CareKit.StartAsync();

        // Nothing has played yet: the devices cannot be checked; the rule is stored and the log says so.
        await kit.RuleAsync("early", new { action = "notify", devices = new[] { "any-tv" } });
        Assert.Contains(kit.App.Logs.Entries, e => e.Message.Contains("could not be checked", StringComparison.Ordinal));

        // Act: a player is playing now; a rule names another device.
        kit.Start("bob", "living-room");
        using var response = await kit.PutRuleAsync("lost", new { action = "stop", message = "No", devices = new[] { "stolen-phone" }, exemptDevices = new[] { "living-room" } });

        // Assert
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("\"devices\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\"exemptDevices\"", text, StringComparison.Ordinal);
        Assert.Contains("No device 'stolen-phone' has been seen; known devices: ", text, StringComparison.Ordinal);
        Assert.Contains("living-room", text, StringComparison.Ordinal);
        await kit.RuleAsync("tv", new { action = "stop", message = "No", devices = new[] { "living-room" } });
    }
}
