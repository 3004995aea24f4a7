using System.CommandLine;
using Marquee.Simulators.Seerr;

namespace Marquee.Cli.Commands;

/// <summary><c>marquee sim seerr</c>: a simulated Overseerr, Jellyseerr or Seerr.</summary>
internal static partial class SimCommands
{
    private static Command Seerr(Func<ParseResult, CliContext> context)
    {
        var defaults = new SeerrSimulatorOptions();
        var (port, latency, faults) = Common(5055);
        var flavor = new Option<string>("--flavor") { Description = $"Which product to answer as: {SeerrFlavor.Seerr}, {SeerrFlavor.Jellyseerr} or {SeerrFlavor.Overseerr}.", DefaultValueFactory = _ => defaults.Flavor };
        var apiKey = new Option<string>("--api-key") { Description = "The API key every call must carry (X-Api-Key header).", DefaultValueFactory = _ => defaults.ApiKey };
        var webhook = new Option<string>("--webhook-url") { Description = "Where the webhook agent posts new, approved and available requests." };
        var authorization = new Option<string>("--webhook-authorization") { Description = "The Authorization header value the webhook agent sends." };
        var command = new Command("seerr", "Run a simulated Overseerr, Jellyseerr or Seerr (users, requests, webhooks) until stopped.")
        {
            port, flavor, apiKey, webhook, authorization, latency, faults,
        };
        command.SetAction(async (parse, ct) =>
        {
            CheckCommon(parse, port, latency, faults);
            Check(SeerrFlavor.IsKnown(parse.GetValue(flavor) ?? string.Empty), $"--flavor must be {SeerrFlavor.Seerr}, {SeerrFlavor.Jellyseerr} or {SeerrFlavor.Overseerr}.");
            Check(!string.IsNullOrWhiteSpace(parse.GetValue(apiKey)), "--api-key must not be empty.");
            var url = parse.GetValue(webhook) ?? string.Empty;
            Check(url.Length == 0 || (Uri.TryCreate(url, UriKind.Absolute, out var u) && u.Scheme is "http" or "https"), "--webhook-url must be an absolute http(s) URL.");
            var options = defaults with
            {
                Port = parse.GetValue(port),
                Flavor = parse.GetValue(flavor)!,
                ApiKey = parse.GetValue(apiKey)!,
                WebhookUrl = url,
                WebhookAuthorization = parse.GetValue(authorization) ?? string.Empty,
                LatencyMs = parse.GetValue(latency),
                FaultRate = parse.GetValue(faults),
            };
            return await ServeUntilStoppedAsync(context(parse), options.Port, token => SeerrSimulator.StartAsync(options, token), simulator => simulator.Describe(), ct);
        });
        return command;
    }
}
