using System.CommandLine;
using Marquee.Core.Webhooks;
using Marquee.Hosting;
using Marquee.Hosting.Security;
using Marquee.Web;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Marquee.Cli.Commands;

internal static class ServeCommand
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var urls = new Option<string?>("--urls")
        {
            Description = $"Addresses to listen on, separated by ';'. Default {MarqueeOptions.DefaultUrls}. Port 0 picks a free port.",
            HelpName = "URLS",
        };
        var command = new Command("serve", "Run the Marquee server: REST API, webhooks, schedules, /healthz and /metrics.") { urls };
        command.SetAction(async (parse, ct) =>
        {
            var ctx = context(parse);
            var extra = new Dictionary<string, string?>();
            if (parse.GetValue(urls) is { Length: > 0 } given)
            {
                extra[$"{MarqueeOptions.Section}:Server:Urls"] = given;
            }

            var configuration = ctx.BuildConfiguration(extra);
            var builder = MarqueeBuilder.CreateBuilder();
            builder.Configuration.AddConfiguration(configuration);
            builder.Logging.ClearProviders();
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
            builder.Logging.SetMinimumLevel(ctx.Verbose ? LogLevel.Debug : LogLevel.Information);
            builder.Logging.AddFilter("Microsoft.AspNetCore", ctx.Verbose ? LogLevel.Information : LogLevel.Warning);
            builder.AddMarquee(ctx.Environment);
            await using var app = builder.Build();

            // Settings out of range are refused before the store is touched, as one clear line each (not the host's log).
            app.Services.GetService<Microsoft.Extensions.Options.IStartupValidator>()?.Validate();
            app.UseMarquee();

            await app.Services.GetRequiredService<MarqueeStartup>().InitializeAsync(ct);
            await app.StartAsync(ct);
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            var options = app.Services.GetRequiredService<MarqueeOptions>();
            foreach (var address in addresses)
            {
                await ctx.Output.WriteLineAsync($"Marquee is listening on {address}");
            }

            await ctx.Output.WriteLineAsync($"Data folder: {Path.GetFullPath(options.DataFolder)}");
            await ctx.Output.WriteLineAsync($"API key: in {app.Services.GetRequiredService<ApiKey>().FilePath} ('marquee apikey' prints it); /api requests must send it.");
            foreach (var warning in Exposure.Warnings(addresses, options.Server))
            {
                await ctx.Error.WriteLineAsync(warning);
            }

            if (addresses.FirstOrDefault() is { } first)
            {
                // Standard output ends up in a log (systemd, docker): the secret is masked; 'marquee webhook-url' shows it.
                var root = Exposure.Reachable(first);
                foreach (var sender in app.Services.GetRequiredService<WebhookFormats>().Senders)
                {
                    await ctx.Output.WriteLineAsync($"{sender.DisplayName} webhook URL: {WebhookSecret.Url(root, "********", sender.Kind)}");
                }

                await ctx.Output.WriteLineAsync($"Webhook URLs with their secret: marquee webhook-url{(root == first ? string.Empty : " (use the address Plex reaches this machine at)")}");
            }

            await ctx.Output.WriteLineAsync("Press Ctrl+C to stop.");
            await ctx.Output.FlushAsync(ct);
            await app.WaitForShutdownAsync(ct);
            return ExitCodes.Ok;
        });
        return command;
    }
}
