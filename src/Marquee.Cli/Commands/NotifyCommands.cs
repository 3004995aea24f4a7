using System.CommandLine;
using Marquee.Cli.Output;
using Marquee.Core.Notifications;
using Marquee.Core.Outbox;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Marquee.Cli.Commands;

/// <summary><c>marquee notify test CHANNEL [--trigger T]</c>: renders a sample notification and sends it now.</summary>
internal static class NotifyCommands
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var channel = new Argument<string>("CHANNEL") { Description = "The channel's name or id." };
        var trigger = new Option<string?>("--trigger") { Description = $"The trigger to render a sample of: {string.Join(", ", NotificationTriggers.All)} (default play).", HelpName = "T" };
        var test = new Command("test", "Render a sample notification for a channel and send it now.") { channel, trigger };
        test.SetAction((parse, ct) => context(parse).WithServicesAsync(
            async services =>
            {
                var ctx = context(parse);
                var notifications = services.GetRequiredService<NotificationService>();
                foreach (var declared in services.GetRequiredService<IOptions<NotificationOptions>>().Value.Channels)
                {
                    await notifications.UpsertAsync(declared.ToRequest(), ct);
                }

                var queued = await notifications.SendTestAsync(parse.GetValue(channel)!, parse.GetValue(trigger), ct);
                await services.GetRequiredService<OutboxDispatcher>().DispatchAsync(ct);
                var sent = await services.GetRequiredService<OutboxService>().GetAsync(queued.Id, ct);
                if (sent.Status == OutboxStatus.Delivered)
                {
                    await ctx.Output.WriteLineAsync($"Sent a sample {parse.GetValue(trigger) ?? NotificationTriggers.Play} notification ({sent.Description}).");
                    return ExitCodes.Ok;
                }

                throw new CliException($"The sample was not delivered ({sent.Status}): {sent.LastError ?? "no answer yet"}; a running server retries it from the outbox.");
            },
            ct));
        var json = GlobalOptions.Json;
        var seen = new Command("seen", "List the users and devices notifications have seen, and whether each is notified.") { json };
        seen.SetAction((parse, ct) => context(parse).WithServicesAsync(
            async services =>
            {
                var ctx = context(parse);
                var entries = await services.GetRequiredService<NotificationService>().ListSeenAsync(ct);
                if (parse.GetValue(json))
                {
                    CliJson.Write(ctx.Output, entries);
                    return ExitCodes.Ok;
                }

                TextTable.Write(ctx.Output, ["KIND", "KEY", "NAME", "NOTIFY"], entries.Select(e => (IReadOnlyList<string?>)[e.Kind, e.Key, e.Name, e.Notify ? "on" : "off"]), "Nothing seen yet.");
                return ExitCodes.Ok;
            },
            ct));
        return new Command("notify", "Notifications: send a sample to a channel; the users and devices seen and their notify switch.") { test, seen, Switch(context, "mute", false), Switch(context, "unmute", true) };
    }

    /// <summary><c>marquee notify mute|unmute user|device KEY</c>.</summary>
    private static Command Switch(Func<ParseResult, CliContext> context, string name, bool notify)
    {
        var kind = new Argument<string>("KIND") { Description = "user or device." };
        var key = new Argument<string>("KEY") { Description = "The account id or name, or the device (player) name, as `marquee notify seen` lists it." };
        var command = new Command(name, notify ? "Notify what a seen user or device does again." : "Notify nothing a seen user or device does.") { kind, key };
        command.SetAction((parse, ct) => context(parse).WithServicesAsync(
            async services =>
            {
                var entry = await services.GetRequiredService<NotificationService>().SetNotifyAsync(parse.GetValue(kind)!, parse.GetValue(key)!, notify, ct);
                await context(parse).Output.WriteLineAsync($"Notifications of {entry.Kind} {entry.Name ?? entry.Key}: {(notify ? "on" : "off")}.");
                return ExitCodes.Ok;
            },
            ct));
        return command;
    }
}
