using System.CommandLine;
using Marquee.Core;
using Marquee.Core.Webhooks;
using Marquee.Hosting;
using Marquee.Hosting.Security;
using Marquee.Providers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Marquee.Cli.Commands;

/// <summary><c>marquee apikey</c> and <c>marquee webhook-url</c>: the secrets a user hands to other programs, shown on demand only.</summary>
internal static class SecurityCommands
{
    public static IEnumerable<Command> Create(Func<ParseResult, CliContext> context)
    {
        var rotate = new Option<bool>("--rotate") { Description = "Replace the key with a new one; the old one stops working (a running server picks it up within seconds)." };
        var apikey = new Command("apikey", "Print the API key that /api requests must carry (X-Api-Key header, Authorization: Bearer, or ?apikey=).") { rotate };
        apikey.SetAction(async (parse, ct) =>
        {
            var ctx = context(parse);
            var key = new ApiKey(MarqueeConfiguration.Bind(ctx.BuildConfiguration()));
            await ctx.Output.WriteLineAsync(parse.GetValue(rotate) ? key.Rotate() : key.Value);
            return ExitCodes.Ok;
        });
        yield return apikey;

        var baseUrl = BaseOption();
        var webhookUrl = new Command("webhook-url", "Print the webhook URLs with their secret, to paste into Plex, Jellyfin or Emby. Keep them private.") { baseUrl };
        webhookUrl.SetAction(async (parse, ct) =>
        {
            var ctx = context(parse);
            var configuration = ctx.BuildConfiguration();
            var (root, secret) = WebhookAddress(configuration, parse.GetValue(baseUrl));
            foreach (var sender in RegisteredSenders(configuration))
            {
                await ctx.Output.WriteLineAsync($"{sender.DisplayName} webhook URL: {WebhookSecret.Url(root, secret, sender.Kind)}");
            }

            return ExitCodes.Ok;
        });
        yield return webhookUrl;
    }

    /// <summary>The option naming the address other programs reach Marquee at.</summary>
    public static Option<string?> BaseOption() => new("--base")
    {
        Description = "The address Plex, Jellyfin, Emby, Radarr or Sonarr reach Marquee at (e.g. https://marquee.example.org). Default: the first of Marquee:Server:Urls.",
        HelpName = "URL",
    };

    /// <summary>The root of Marquee's webhook URLs (<paramref name="given"/>, or the first server URL) and the webhook secret.</summary>
    public static (string Root, string Secret) WebhookAddress(IConfiguration configuration, string? given)
    {
        var options = MarqueeConfiguration.Bind(configuration);
        var address = given is { Length: > 0 } ? given : HostAllowList.Split(options.Server.Urls).FirstOrDefault() ?? MarqueeOptions.DefaultUrls;
        if (!Uri.TryCreate(Exposure.Reachable(address), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new CliException($"--base: '{address}' is not an http or https URL.", ExitCodes.Usage);
        }

        if (uri.Port == 0)
        {
            throw new CliException($"The server picks its port at start ({address}): give the address it printed with --base URL.", ExitCodes.Usage);
        }

        var webhooks = new WebhookOptions();
        configuration.GetSection(WebhookOptions.Section).Bind(webhooks);
        return (uri.GetLeftPart(UriPartial.Path), new WebhookSecret(Options.Create(webhooks), options).Value);
    }

    /// <summary>The senders of the registered webhook formats, in the order 'serve' maps them; nothing else is started.</summary>
    private static IReadOnlyList<WebhookSender> RegisteredSenders(IConfiguration configuration)
    {
        using var services = new ServiceCollection().AddSingleton(configuration).AddMarqueeCore().AddProviders().BuildServiceProvider();
        return services.GetRequiredService<WebhookFormats>().Senders;
    }
}
