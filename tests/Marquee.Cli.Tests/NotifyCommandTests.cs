using Marquee.Cli.Tests.Infrastructure;
using Marquee.Core.Notifications;
using Marquee.Hosting;
using Marquee.Simulators.Discord;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Marquee.Cli.Tests;

public sealed class NotifyCommandTests
{
    [Fact]
    public async Task NotifyTest_SendsARenderedSampleToTheChannel()
    {
        await using var discord = await DiscordSimulator.StartAsync(new DiscordSimulatorOptions(), CancellationToken.None);
        using var cli = new CliRunner();
        await AddChannelAsync(cli, new ChannelRequest("discord", "discord", discord.DefaultWebhookUrl.ToString(), null, null, null, null, null, null));

        var output = await cli.OkAsync("notify", "test", "discord", "--trigger", "finished");

        Assert.Contains("Sent a sample finished notification", output, StringComparison.Ordinal);
        var message = Assert.Single(discord.State.Messages);
        Assert.Equal("alice finished Severance · S02E03 · Who Is Alive?", message.Body!["embeds"]![0]!["title"]!.ToString());
        Assert.DoesNotContain(discord.State.Webhooks[0].Token, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotifyTest_UnknownChannelOrTrigger_FailsWithAClearMessage()
    {
        using var cli = new CliRunner();
        await AddChannelAsync(cli, new ChannelRequest("phone", "ntfy", "http://127.0.0.1:9/topic", null, null, null, null, null, null));

        var unknown = await cli.RunAsync("notify", "test", "nope");
        var trigger = await cli.RunAsync("notify", "test", "phone", "--trigger", "explode");

        Assert.NotEqual(0, unknown.Code);
        Assert.Contains("nope", unknown.Error, StringComparison.Ordinal);
        Assert.Equal(2, trigger.Code);
        Assert.Contains("trigger", trigger.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotifyMute_AnUnknownKindOrKey_ExitsWith2NamingIt_AndSeenListsNothingYet()
    {
        using var cli = new CliRunner();

        var kind = await cli.RunAsync("notify", "mute", "printer", "TV");
        var key = await cli.RunAsync("notify", "mute", "device", "Toaster");
        var seen = await cli.RunAsync("notify", "seen");

        Assert.Equal(2, kind.Code);
        Assert.Contains("kind: 'printer' is neither user nor device", kind.Error, StringComparison.Ordinal);
        Assert.Equal(2, key.Code);
        Assert.Contains("key: No device 'Toaster' has been seen; seen: none yet", key.Error, StringComparison.Ordinal);
        Assert.Equal(0, seen.Code);
        Assert.Contains("Nothing seen yet.", seen.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--transcode", "sideways", "transcode")]
    [InlineData("--max-streams-per-user", "-1", "maxStreamsPerUser")]
    [InlineData("--between", "25:00-26:00", "between")]
    [InlineData("--action", "explode", "action")]
    public async Task CareRuleAdd_ABadValue_ExitsWith2NamingTheField_AndStoresNothing(string option, string value, string field)
    {
        using var cli = new CliRunner();

        var result = await cli.RunAsync("care", "rule", "add", "bad", "--message", "No", option, value);
        var list = await cli.RunAsync("care", "rule", "list");

        Assert.Equal(2, result.Code);
        Assert.Contains($"error: {field}: ", result.Error, StringComparison.Ordinal);
        Assert.Contains("No session rules.", list.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CareRuleRemove_AnUnknownRule_FailsNamingIt()
    {
        using var cli = new CliRunner();

        var result = await cli.RunAsync("care", "rule", "remove", "nope");

        Assert.Equal(1, result.Code);
        Assert.Contains("nope", result.Error, StringComparison.Ordinal);
    }

    // Stores a channel in the CLI's data folder, as the server's API would.
    private static async Task AddChannelAsync(CliRunner cli, ChannelRequest request)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Marquee:DataFolder"] = cli.DataFolder }).Build();
        await using var services = new ServiceCollection().AddMarqueeServices(configuration).BuildServiceProvider();
        await services.GetRequiredService<MarqueeStartup>().InitializeAsync(CancellationToken.None);
        await services.GetRequiredService<NotificationService>().CreateAsync(request, CancellationToken.None);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }
}
