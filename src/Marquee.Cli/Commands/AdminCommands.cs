using System.CommandLine;
using Marquee.Hosting;
using Marquee.Hosting.Security;

namespace Marquee.Cli.Commands;

/// <summary><c>marquee admin reset</c>: a forgotten web UI password, set again from the server's shell.</summary>
internal static class AdminCommands
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var password = new SecretOption("password", "The new password (at least 10 characters).", "MARQUEE_ADMIN_PASSWORD");
        var user = new Option<string?>("--user") { Description = "The user name (default: keep the current one).", HelpName = "NAME" };
        var reset = new Command(
            "reset",
            "Set a new web UI password (this also lifts a lockout and ends every login), or, without a password, remove the admin so that the next visit shows the first-run page.")
        {
            password.Value, password.File, user,
        };
        reset.SetAction(async (parse, ct) =>
        {
            var ctx = context(parse);
            var admin = new AdminAccount(MarqueeConfiguration.Bind(ctx.BuildConfiguration()));
            var secret = await password.ReadAsync(parse, ctx, ct) ?? password.FromEnvironment(ctx);
            if (secret is null)
            {
                if (parse.GetValue(user) is not null)
                {
                    throw new CliException("--user needs a new password (--password -, --password-file FILE or MARQUEE_ADMIN_PASSWORD).", ExitCodes.Usage);
                }

                await ctx.Output.WriteLineAsync(admin.Remove()
                    ? "The web UI administrator was removed: the next visit to the web UI creates a new one. Do it now, before anyone else on your network does."
                    : "There is no web UI administrator yet: the first visit to the web UI creates one.");
                return ExitCodes.Ok;
            }

            var name = parse.GetValue(user) ?? admin.UserName ?? "admin";
            if (AdminAccount.Check(name, secret, null) is { Count: > 0 } problems)
            {
                throw new CliException(string.Join(" ", problems.Select(p => p.Message)), ExitCodes.Usage);
            }

            admin.Set(name, secret);
            await ctx.Output.WriteLineAsync($"The web UI password of '{name.Trim()}' was set; earlier logins have ended and a lockout is lifted.");
            return ExitCodes.Ok;
        });
        return new Command("admin", "The web UI's administrator.") { reset };
    }
}
