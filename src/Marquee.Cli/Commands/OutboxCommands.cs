using System.CommandLine;
using System.Globalization;
using Marquee.Cli.Output;
using Marquee.Core.Outbox;
using Microsoft.Extensions.DependencyInjection;

namespace Marquee.Cli.Commands;

/// <summary><c>marquee outbox</c>: what is waiting to be delivered, what was dead-lettered and why, and retrying it.</summary>
internal static class OutboxCommands
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var failed = new Option<bool>("--failed") { Description = "Only dead-lettered deliveries, with the reason." };
        var status = new Option<string?>("--status") { Description = $"Only deliveries with this status: {string.Join(", ", OutboxStatus.All)}.", HelpName = "STATUS" };
        var retry = new Option<string?>("--retry") { Description = "Retry a dead-lettered delivery now, with its attempts reset (a running server picks it up at its next poll).", HelpName = "ID" };
        var limit = new Option<int>("--limit") { Description = "How many deliveries to list, newest first.", DefaultValueFactory = _ => 100 };
        var command = new Command("outbox", "List the outbox: writes to other systems (notifications, label edits, unmonitors) waiting, delivered or dead-lettered.")
        {
            failed, status, retry, limit, GlobalOptions.Json,
        };
        command.SetAction((parse, ct) => context(parse).WithServicesAsync(
            async services =>
            {
                var ctx = context(parse);
                var outbox = services.GetRequiredService<OutboxService>();
                var json = parse.GetValue(GlobalOptions.Json);
                if (parse.GetValue(retry) is { } id)
                {
                    var retried = await outbox.RetryAsync(OutboxService.ParseId(id), ct);
                    if (json)
                    {
                        CliJson.Write(ctx.Output, retried);
                    }
                    else
                    {
                        await ctx.Output.WriteLineAsync($"Delivery {retried.Id} ({retried.Description}) is pending again; its next attempt is due now.");
                    }

                    return ExitCodes.Ok;
                }

                if (parse.GetValue(failed) && parse.GetValue(status) is { } other && other != OutboxStatus.Failed)
                {
                    throw new CliException("--failed and --status cannot be combined.", ExitCodes.Usage);
                }

                var listed = await outbox.ListAsync(parse.GetValue(failed) ? OutboxStatus.Failed : parse.GetValue(status), parse.GetValue(limit), ct);
                if (json)
                {
                    CliJson.Write(ctx.Output, listed);
                    return ExitCodes.Ok;
                }

                TextTable.Write(
                    ctx.Output,
                    ["Id", "Kind", "Target", "Status", "Attempts", "Next attempt", "Created", "Description", "Last error"],
                    listed.Select(m => new[]
                    {
                        m.Id.ToString(CultureInfo.InvariantCulture), m.Kind, m.Target, m.Status, m.Attempts.ToString(CultureInfo.InvariantCulture),
                        m.Status == OutboxStatus.Pending ? Time(m.NextAttemptAt) : "-", Time(m.CreatedAt), m.Description, m.LastError ?? "-",
                    }),
                    parse.GetValue(failed) ? "No dead-lettered deliveries." : "The outbox is empty.");
                return ExitCodes.Ok;
            },
            ct));
        return command;
    }

    private static string Time(DateTimeOffset time) => time.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
