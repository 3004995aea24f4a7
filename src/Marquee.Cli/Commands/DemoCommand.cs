using System.CommandLine;

namespace Marquee.Cli.Commands;

internal static class DemoCommand
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var command = new Command("demo", "Run Marquee end to end on simulated servers in a fresh data folder.");
        command.SetAction(parse =>
        {
            var ctx = context(parse);
            ctx.Output.WriteLine(
                """
                marquee demo is not runnable yet: it needs the sync engine, which has not landed.
                When it lands, the demo will, in a fresh data folder:
                  1. start two simulated Plex servers over the same media (different ratingKeys and agents)
                     with different watch histories for an owner, two Home users and a friend;
                  2. add both as connections, map the profiles and create a two-way flow;
                  3. run a first sync with live progress, then print the summary and the requests per endpoint;
                  4. run again to show that a finished sync makes zero writes.
                Today you can already try: marquee serve, connection, profile and flow management (see README.md).
                """);
            return ExitCodes.Ok;
        });
        return command;
    }
}
