using System.Globalization;
using Marquee.Cli.Output;
using Marquee.Core.Connections;
using Marquee.Core.Validation;
using Marquee.Providers.Trakt;
using Microsoft.Extensions.DependencyInjection;

namespace Marquee.Cli.Commands;

/// <summary><c>connection add trakt</c>: Trakt's device login, printed like the Plex PIN login; the tokens are stored encrypted at once.</summary>
internal static class TraktLoginCommand
{
    public static async Task<int> AddAsync(IServiceProvider services, CliContext ctx, string? name, string? url, string? clientId, string? clientSecret, int waitSeconds, bool json, CancellationToken cancellationToken)
    {
        if (waitSeconds <= 0)
        {
            throw new CliException("Option '--wait' must be a number of seconds above 0.", ExitCodes.Usage);
        }

        var signIns = services.GetRequiredService<TraktSignIns>();
        var app = signIns.App(url, clientId, clientSecret);
        var connectionName = name ?? "trakt";
        if (Names.Check(connectionName) is { } problem)
        {
            throw new ValidationException([problem]);
        }

        if (await services.GetRequiredService<IConnectionStore>().FindByNameAsync(connectionName, cancellationToken) is not null)
        {
            throw new CliException($"A connection named '{connectionName}' already exists; choose another with --name.", ExitCodes.Usage);
        }

        var login = signIns.Login(app);
        TraktTokens tokens;
        try
        {
            var code = await login.StartAsync(cancellationToken);
            await ctx.Error.WriteLineAsync($"To sign in to Trakt, open {code.VerificationUrl}");
            await ctx.Error.WriteLineAsync($"and enter the code: {code.UserCode}");
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            wait.CancelAfter(TimeSpan.FromSeconds(waitSeconds));
            try
            {
                tokens = await login.WaitAsync(code, wait.Token, new ConsoleProgress(ctx.Error, Math.Min(waitSeconds, (int)code.ExpiresIn.TotalSeconds)));
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new CliException($"The Trakt code {code.UserCode} was not approved within {waitSeconds} s: run the command again (or give a longer --wait).");
            }
        }
        catch (TraktException ex)
        {
            throw new CliException(ex.Message);
        }
        catch (HttpRequestException ex)
        {
            throw new CliException($"Trakt could not be reached at {app.BaseUri}: {ex.Message}");
        }

        await ctx.Error.WriteLineAsync();
        await ctx.Error.WriteLineAsync("Signed in.");
        var created = await signIns.CreateAsync(connectionName, app, tokens, cancellationToken);
        var connections = services.GetRequiredService<ConnectionService>();
        var accounts = await connections.RefreshAccountsAsync(created.Name, cancellationToken);
        if (json)
        {
            CliJson.Write(ctx.Output, created);
        }
        else
        {
            var user = accounts.Accounts.Count > 0 ? accounts.Accounts[0].Name : null;
            await ctx.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Added connection '{created.Name}' (trakt, id {created.Id}){(user is null ? string.Empty : $" for Trakt user '{user}'")}. See it with: marquee connection show {created.Name}"));
        }

        if (accounts.Problem is not null)
        {
            await ctx.Error.WriteLineAsync($"warning: the connection is stored, but Trakt did not answer for its account: {accounts.Problem}");
        }

        return ExitCodes.Ok;
    }

    private sealed class ConsoleProgress(TextWriter error, int waitSeconds) : IProgress<TimeSpan>
    {
        public void Report(TimeSpan value) =>
            error.Write(string.Create(CultureInfo.InvariantCulture, $"\rWaiting for approval... {value.TotalSeconds:0} s of {waitSeconds} s"));
    }
}
