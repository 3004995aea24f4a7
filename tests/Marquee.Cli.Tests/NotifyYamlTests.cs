using Marquee.Cli.Tests.Infrastructure;
using Marquee.Simulators.Discord;

namespace Marquee.Cli.Tests;

/// <summary>Notification channels declared in marquee.yaml (<c>notifications:</c>).</summary>
public sealed class NotifyYamlTests
{
    [Fact]
    public async Task ChannelInYaml_IsCreatedAtStart_WithItsSecretFromTheEnvironment_AndSendsASample()
    {
        await using var discord = await DiscordSimulator.StartAsync(new DiscordSimulatorOptions { RateLimit = 0 }, CancellationToken.None);
        using var cli = new CliRunner(new Dictionary<string, string> { ["DISCORD_URL"] = discord.DefaultWebhookUrl.ToString() });
        var file = Path.Combine(cli.Folder, "marquee.yaml");
        await File.WriteAllTextAsync(file, """
            notifications:
              - name: ops
                kind: discord
                url: ${DISCORD_URL}
                triggers: [run-failed, finished]
                templates:
                  finished.title: "{{ user }} is done with {{ full_title }}"
            """);

        // Act: applied twice (the second start changes nothing), then a sample of the templated trigger.
        var applied = await cli.OkAsync("config", "apply", "--config", file);
        var sent = await cli.OkAsync("notify", "test", "ops", "--trigger", "finished", "--config", file);

        // Assert
        Assert.Contains("Applied", applied, StringComparison.Ordinal);
        Assert.Contains("Sent a sample finished notification", sent, StringComparison.Ordinal);
        var message = Assert.Single(discord.State.Messages);
        Assert.Equal("alice is done with Severance · S02E03 · Who Is Alive?", message.Body!["embeds"]![0]!["title"]!.GetValue<string>());
    }
}
