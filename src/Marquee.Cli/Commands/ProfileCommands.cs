using System.CommandLine;
using System.Globalization;
using Marquee.Cli.Output;
using Marquee.Core.Profiles;
using Microsoft.Extensions.DependencyInjection;

namespace Marquee.Cli.Commands;

internal static class ProfileCommands
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var command = new Command("profile", "Profiles are people: each maps accounts across connections.");
        command.Add(Add(context));
        command.Add(List(context));
        command.Add(Link(context, link: true));
        command.Add(Link(context, link: false));
        return command;
    }

    private static Command Add(Func<ParseResult, CliContext> context)
    {
        var name = new Argument<string>("name") { Description = "Profile name, e.g. anna." };
        var display = new Option<string?>("--display-name") { Description = "A friendlier name for reports." };
        var command = new Command("add", "Add a profile.") { name, display, GlobalOptions.Json };
        command.SetAction((parse, ct) => context(parse).WithServicesAsync(
            async services =>
            {
                var created = await services.GetRequiredService<ProfileService>().CreateAsync(parse.GetValue(name), parse.GetValue(display), ct);
                var ctx = context(parse);
                if (parse.GetValue(GlobalOptions.Json))
                {
                    CliJson.Write(ctx.Output, created);
                }
                else
                {
                    await ctx.Output.WriteLineAsync($"Added profile '{created.Name}' (id {created.Id}). Link accounts with: marquee profile link {created.Name} --connection NAME --account ACCOUNT");
                }

                return ExitCodes.Ok;
            },
            ct));
        return command;
    }

    private static Command List(Func<ParseResult, CliContext> context)
    {
        var command = new Command("list", "List profiles and their accounts.") { GlobalOptions.Json };
        command.SetAction((parse, ct) => context(parse).WithServicesAsync(
            async services =>
            {
                var profiles = services.GetRequiredService<ProfileService>();
                var all = await profiles.ListAsync(ct);
                var links = await profiles.ListLinksAsync(null, ct);
                var ctx = context(parse);
                if (parse.GetValue(GlobalOptions.Json))
                {
                    CliJson.Write(ctx.Output, all.Select(p => new { p.Id, p.Name, p.DisplayName, p.CreatedAt, Accounts = links.Where(l => l.ProfileId == p.Id) }));
                }
                else
                {
                    TextTable.Write(
                        ctx.Output,
                        ["Id", "Name", "Display name", "Accounts"],
                        all.Select(p => new[]
                        {
                            p.Id.ToString(CultureInfo.InvariantCulture), p.Name, p.DisplayName,
                            string.Join(", ", links.Where(l => l.ProfileId == p.Id).Select(l => $"{l.ConnectionName}/{l.AccountName} ({l.Origin})")),
                        }),
                        "No profiles. Add one with: marquee profile add NAME");
                }

                return ExitCodes.Ok;
            },
            ct));
        return command;
    }

    private static Command Link(Func<ParseResult, CliContext> context, bool link)
    {
        var name = new Argument<string>("profile") { Description = "Profile name or id." };
        var connection = new Option<string>("--connection") { Description = "Connection name or id.", Required = true };
        var account = new Option<string>("--account") { Description = "The account's id or name on that connection.", Required = true };
        var command = link
            ? new Command("link", "Link an account of a connection to a profile (moving it from any other profile).") { name, connection, account }
            : new Command("unlink", "Unlink an account from a profile.") { name, connection, account };
        command.SetAction((parse, ct) => context(parse).WithServicesAsync(
            async services =>
            {
                var profiles = services.GetRequiredService<ProfileService>();
                var output = context(parse).Output;
                if (link)
                {
                    var linked = await profiles.LinkAsync(parse.GetValue(name)!, parse.GetValue(connection), parse.GetValue(account), ct);
                    await output.WriteLineAsync($"Linked {linked.ConnectionName}/{linked.AccountName} to profile '{parse.GetValue(name)}'.");
                }
                else
                {
                    await profiles.UnlinkAsync(parse.GetValue(name)!, parse.GetValue(connection), parse.GetValue(account), ct);
                    await output.WriteLineAsync($"Unlinked {parse.GetValue(connection)}/{parse.GetValue(account)} from profile '{parse.GetValue(name)}'.");
                }

                return ExitCodes.Ok;
            },
            ct));
        return command;
    }
}
