using System.CommandLine;
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
        return new Command("notify", "Notifications: send a sample to a channel.") { test };
    }
}
