using System.CommandLine;
using Marquee.Web;
using Marquee.Web.Hosting;
using Marquee.Web.Webhooks;
using Microsoft.AspNetCore.Builder;
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
            var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
            builder.Configuration.AddConfiguration(configuration);
            builder.Logging.ClearProviders();
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
            builder.Logging.SetMinimumLevel(ctx.Verbose ? LogLevel.Debug : LogLevel.Information);
            builder.Logging.AddFilter("Microsoft.AspNetCore", ctx.Verbose ? LogLevel.Information : LogLevel.Warning);
            builder.AddMarquee(ctx.Environment);
            await using var app = builder.Build();
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
            if (addresses.FirstOrDefault() is { } first)
            {
                // Printed for the user to paste into Plex (Settings > Webhooks), Jellyfin's Webhook plugin (generic
                // destination) or Emby (Notifications > Webhooks); they hold the secret, so they are never logged.
                var secret = app.Services.GetRequiredService<WebhookSecret>();
                await ctx.Output.WriteLineAsync($"Plex webhook URL: {WebhookEndpoints.PlexUrl(first, secret)}");
                await ctx.Output.WriteLineAsync($"Jellyfin webhook URL: {WebhookEndpoints.Url(first, secret, "jellyfin")}");
                await ctx.Output.WriteLineAsync($"Emby webhook URL: {WebhookEndpoints.Url(first, secret, "emby")}");
            }

            await ctx.Output.WriteLineAsync("Press Ctrl+C to stop.");
            await ctx.Output.FlushAsync(ct);
            await app.WaitForShutdownAsync(ct);
            return ExitCodes.Ok;
        });
        return command;
    }
}
