using System.CommandLine;
using System.Text.Json.Nodes;
using Marquee.Cli.Output;
using Marquee.Core.Connections;
using Marquee.Core.Providers;
using Marquee.Core.Sync;
using Marquee.Hosting.Security;
using Marquee.Providers.Arr;
using Microsoft.Extensions.DependencyInjection;

namespace Marquee.Cli.Commands;

internal static class ConnectionCommands
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var command = new Command("connection", "Add, list, show, test and remove connections (Plex, Jellyfin, Emby, Shoko, Radarr, Sonarr servers and Trakt accounts).");
        command.Add(Add(context));
        command.Add(List(context));
        command.Add(Show(context));
        command.Add(Test(context));
        command.Add(SetPin(context));
        command.Add(RegisterWebhook(context));
        command.Add(Remove(context));
        return command;
    }

    private static Command Add(Func<ParseResult, CliContext> context)
    {
        var kind = new Argument<string>("kind") { Description = "Kind of connection: plex, jellyfin, emby, shoko, radarr, sonarr or trakt." };
        var name = new Option<string?>("--name") { Description = "A short name to refer to the connection (Plex login: defaults to the server's name)." };
        var url = new Option<string?>("--url") { Description = "The server's address, e.g. http://192.168.1.10:32400. Plex: leave out to log in and pick servers." };
        var token = new SecretOption("token", "Plex: the owner's X-Plex-Token; without --url the account's servers are discovered with it.", "MARQUEE_CONNECTION_TOKEN");
        var server = new Option<string?>("--server") { Description = "Plex login: the server to add (its name), or 'all'.", HelpName = "NAME|all" };
        var wait = new Option<int>("--wait") { Description = "Plex PIN login and Trakt device login: seconds to wait for the code to be approved.", DefaultValueFactory = _ => 300 };
        var clientId = new Option<string?>("--client-id") { Description = "Trakt: the client id of your Trakt app (default: Marquee:Trakt:ClientId)." };
        var clientSecret = new SecretOption("client-secret", "Trakt: the client secret of your Trakt app (default: Marquee:Trakt:ClientSecret).", "MARQUEE_TRAKT_CLIENT_SECRET");
        var apiKey = new SecretOption("api-key", "Jellyfin/Emby/Shoko: an API key.", "MARQUEE_CONNECTION_API_KEY");
        var user = new Option<string?>("--user") { Description = "Jellyfin/Emby/Shoko: user name (with --password; a Shoko account may have none)." };
        var password = new SecretOption("password", "Jellyfin/Emby/Shoko: password.", "MARQUEE_CONNECTION_PASSWORD");
        var set = new Option<string[]>("--set") { Description = "Any other setting as key=value (repeatable).", HelpName = "KEY=VALUE", AllowMultipleArgumentsPerToken = false };
        var noTest = new Option<bool>("--no-test") { Description = "Save without testing the connection first (for a server that is down on purpose)." };
        var registerWebhook = new Option<bool>("--register-webhook") { Description = "Radarr/Sonarr: register Marquee's webhook URL in the application once it is added (see 'connection register-webhook')." };
        var webhookBase = SecurityCommands.BaseOption();
        var json = GlobalOptions.Json;
        var command = new Command("add", "Add a connection: it is tested first and refused when it does not work. Secrets are encrypted in the store and never shown again.")
        {
            kind, name, url, token.Value, token.File, server, wait, clientId, clientSecret.Value, clientSecret.File, apiKey.Value, apiKey.File, user, password.Value, password.File, set, noTest, registerWebhook, webhookBase, json,
        };
        command.Validators.Add(result =>
        {
            var hasUrl = result.GetValue(url) is not null;
            var trakt = string.Equals(result.GetValue(kind), "trakt", StringComparison.OrdinalIgnoreCase);
            if (!trakt && (result.GetValue(clientId) is not null || result.GetValue(clientSecret.Value) is not null || result.GetValue(clientSecret.File) is not null))
            {
                result.AddError("Options '--client-id' and '--client-secret' are for trakt connections only.");
            }

            // Trakt signs in with a device code: its --url only names another API address, and --name defaults to 'trakt'.
            if (!trakt && !hasUrl && !string.Equals(result.GetValue(kind), "plex", StringComparison.OrdinalIgnoreCase))
            {
                result.AddError("Option '--url' is required (only Plex can log in and discover its servers; Trakt signs in with a code).");
            }
            else if (!trakt && hasUrl && result.GetValue(name) is null)
            {
                result.AddError("Option '--name' is required with '--url'.");
            }

            if (result.GetValue(registerWebhook) && result.GetValue(kind)?.ToLowerInvariant() is not ("radarr" or "sonarr"))
            {
                result.AddError("Option '--register-webhook' is for radarr and sonarr connections only.");
            }
            else if (result.GetValue(webhookBase) is not null && !result.GetValue(registerWebhook))
            {
                result.AddError("Option '--base' goes with '--register-webhook'.");
            }
        });
        command.SetAction((parse, ct) => context(parse).WithServicesAsync(
            async services =>
            {
                var ctx = context(parse);
                var plex = string.Equals(parse.GetValue(kind), "plex", StringComparison.OrdinalIgnoreCase);
                if (string.Equals(parse.GetValue(kind), "trakt", StringComparison.OrdinalIgnoreCase))
                {
                    var secret = await clientSecret.ReadAsync(parse, ctx, ct) ?? clientSecret.FromEnvironment(ctx);
                    return await TraktLoginCommand.AddAsync(services, ctx, parse.GetValue(name), parse.GetValue(url), parse.GetValue(clientId), secret, parse.GetValue(wait), parse.GetValue(json), ct);
                }

                var givenToken = await token.ReadAsync(parse, ctx, ct) ?? (plex ? token.FromEnvironment(ctx) : null);
                if (parse.GetValue(url) is null)
                {
                    return await PlexLoginCommand.AddAsync(services, ctx, parse.GetValue(name), givenToken, parse.GetValue(server), parse.GetValue(wait), parse.GetValue(json), ct);
                }

                // The environment only fills a secret the kind takes and the command line left out.
                var hasUser = parse.GetValue(user) is not null;
                var settings = new JsonObject { ["url"] = parse.GetValue(url) };
                Put(settings, "token", givenToken);
                Put(settings, "apiKey", await apiKey.ReadAsync(parse, ctx, ct) ?? (!plex && !hasUser ? apiKey.FromEnvironment(ctx) : null));
                Put(settings, "user", parse.GetValue(user));
                Put(settings, "password", await password.ReadAsync(parse, ctx, ct) ?? (!plex && hasUser ? password.FromEnvironment(ctx) : null));
                foreach (var pair in parse.GetValue(set) ?? [])
                {
                    var eq = pair.IndexOf('=', StringComparison.Ordinal);
                    if (eq <= 0)
                    {
                        throw new CliException($"--set takes key=value, not '{pair}'.", ExitCodes.Usage);
                    }

                    settings[pair[..eq].Trim()] = pair[(eq + 1)..];
                }

                var connections = services.GetRequiredService<ConnectionService>();
                if (!parse.GetValue(noTest))
                {
                    var test = await connections.TestNewAsync(parse.GetValue(name), parse.GetValue(kind), settings, ct);
                    if (!test.Ok)
                    {
                        throw new CliException($"connection '{parse.GetValue(name)}' was not added, its test failed: {test.Reason} (fix it, or add it anyway with --no-test)");
                    }
                }

                var created = await connections.CreateAsync(parse.GetValue(name), parse.GetValue(kind), settings, ct);
                if (parse.GetValue(json))
                {
                    CliJson.Write(ctx.Output, created);
                }
                else
                {
                    await ctx.Output.WriteLineAsync(parse.GetValue(noTest)
                        ? $"Added connection '{created.Name}' ({created.Kind}, id {created.Id}) without testing it. Check it with: marquee connection test {created.Name}"
                        : $"Added connection '{created.Name}' ({created.Kind}, id {created.Id}); it works.");
                }

                if (parse.GetValue(registerWebhook))
                {
                    var registered = await RegisterWebhookAsync(services, ctx, created.Name, parse.GetValue(webhookBase), ct);
                    if (!parse.GetValue(json))
                    {
                        await ctx.Output.WriteLineAsync(registered);
                    }
                }

                return ExitCodes.Ok;
            },
            ct));
        return command;
    }

    private static Command List(Func<ParseResult, CliContext> context)
    {
        var command = new Command("list", "List connections.") { GlobalOptions.Json };
        command.SetAction((parse, ct) => context(parse).WithServicesAsync(
            async services =>
            {
                var all = await services.GetRequiredService<ConnectionService>().ListAsync(ct);
                var ctx = context(parse);
                if (parse.GetValue(GlobalOptions.Json))
                {
                    CliJson.Write(ctx.Output, all);
                }
                else
                {
                    TextTable.Write(ctx.Output, ["Id", "Name", "Kind", "Url"], all.Select(c => new[] { c.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), c.Name, c.Kind, c.Settings["url"]?.ToString() }), "No connections. Add one with: marquee connection add plex --name NAME --url URL --token TOKEN");
                }

                return ExitCodes.Ok;
            },
            ct));
        return command;
    }

    private static Command Show(Func<ParseResult, CliContext> context)
    {
        var name = new Argument<string>("name") { Description = "Connection name or id." };
        var offline = new Option<bool>("--offline") { Description = "Show the stored accounts without asking the server." };
        var command = new Command("show", "Show a connection, its settings (secrets masked) and its accounts, and whether Marquee can act for each.") { name, offline, GlobalOptions.Json };
        command.SetAction((parse, ct) => context(parse).WithServicesAsync(
            async services =>
            {
                var connections = services.GetRequiredService<ConnectionService>();
                var connection = await connections.GetAsync(parse.GetValue(name)!, ct);
                var refresh = parse.GetValue(offline)
                    ? new AccountRefresh(await connections.ListAccountsAsync(parse.GetValue(name)!, ct), null)
                    : await connections.RefreshAccountsAsync(parse.GetValue(name)!, ct);
                var accounts = refresh.Accounts;
                var ctx = context(parse);
                if (parse.GetValue(GlobalOptions.Json))
                {
                    CliJson.Write(ctx.Output, new { connection.Id, connection.Name, connection.Kind, connection.Settings, connection.CreatedAt, connection.UpdatedAt, Accounts = accounts.Select(a => new { a.Id, a.ExternalId, a.Name, a.Kind, a.Email, a.Status, a.StatusReason, CanAct = a.Status == Account.StatusOk }), refresh.Problem });
                    return ExitCodes.Ok;
                }

                if (refresh.Problem is not null)
                {
                    await ctx.Error.WriteLineAsync($"warning: accounts could not be refreshed, showing the stored ones: {refresh.Problem}");
                }

                var fields = new List<(string, string?)> { ("Name", connection.Name), ("Id", connection.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("Kind", connection.Kind) };
                fields.AddRange(connection.Settings.Select(s => (s.Key, s.Value?.ToString())));
                TextTable.WriteFields(ctx.Output, fields);
                await ctx.Output.WriteLineAsync();
                TextTable.Write(ctx.Output, ["Account", "Id", "Kind", "Can act", "Why not"], accounts.Select(a => new[] { a.Name, a.ExternalId, a.Kind, a.Status == Account.StatusOk ? "yes" : a.Status == Account.StatusNoAccess ? "no" : "unknown", a.StatusReason ?? string.Empty }), "No accounts discovered yet.");
                return ExitCodes.Ok;
            },
            ct));
        return command;
    }

    private static Command Test(Func<ParseResult, CliContext> context)
    {
        var name = new Argument<string>("name") { Description = "Connection name or id." };
        var command = new Command("test", "Check that a connection answers and its credentials work.") { name, GlobalOptions.Json };
        command.SetAction((parse, ct) => context(parse).WithServicesAsync(
            async services =>
            {
                var problems = await services.GetRequiredService<ConnectionService>().TestAsync(parse.GetValue(name)!, ct);
                var ctx = context(parse);
                if (parse.GetValue(GlobalOptions.Json))
                {
                    CliJson.Write(ctx.Output, new { ok = problems.Count == 0, problems });
                }
                else if (problems.Count == 0)
                {
                    await ctx.Output.WriteLineAsync($"Connection '{parse.GetValue(name)}' works.");
                }
                else
                {
                    foreach (var problem in problems)
                    {
                        await ctx.Error.WriteLineAsync($"error: {problem.Field}: {problem.Message}");
                    }
                }

                return problems.Count == 0 ? ExitCodes.Ok : ExitCodes.Failure;
            },
            ct));
        return command;
    }

    private static Command SetPin(Func<ParseResult, CliContext> context)
    {
        var name = new Argument<string>("name") { Description = "Connection name or id." };
        var account = new Option<string>("--account") { Description = "The Plex Home user (name or plex.tv id), as 'connection show' lists it.", Required = true };
        var pin = new Option<string?>("--pin") { Description = "The user's 4-digit Home PIN (stored encrypted)." };
        var clear = new Option<bool>("--clear") { Description = "Forget the stored PIN." };
        var command = new Command("set-pin", "Give the PIN of a PIN-protected Plex Home user so Marquee can act for it.") { name, account, pin, clear };
        command.SetAction((parse, ct) => context(parse).WithServicesAsync(
            async services =>
            {
                if (parse.GetValue(pin) is null && !parse.GetValue(clear))
                {
                    throw new CliException("Give --pin NNNN or --clear.", ExitCodes.Usage);
                }

                var updated = await services.GetRequiredService<ConnectionService>().SetAccountPinAsync(parse.GetValue(name)!, parse.GetValue(account)!, parse.GetValue(clear) ? null : parse.GetValue(pin), ct);
                await context(parse).Output.WriteLineAsync($"{(parse.GetValue(clear) ? "Forgot" : "Stored")} the PIN of '{updated.Name}'. Check access with: marquee connection show {parse.GetValue(name)}");
                return ExitCodes.Ok;
            },
            ct));
        return command;
    }

    private static Command Remove(Func<ParseResult, CliContext> context)
    {
        var name = new Argument<string>("name") { Description = "Connection name or id." };
        var command = new Command("remove", "Remove a connection (refused while a flow uses it).") { name };
        command.SetAction((parse, ct) => context(parse).WithServicesAsync(
            async services =>
            {
                await services.GetRequiredService<ConnectionService>().DeleteAsync(parse.GetValue(name)!, ct);
                await context(parse).Output.WriteLineAsync($"Removed connection '{parse.GetValue(name)}'.");
                return ExitCodes.Ok;
            },
            ct));
        return command;
    }

    private static Command RegisterWebhook(Func<ParseResult, CliContext> context)
    {
        var name = new Argument<string>("name") { Description = "The Radarr or Sonarr connection (name or id)." };
        var baseUrl = SecurityCommands.BaseOption();
        var command = new Command(
            "register-webhook",
            "Register Marquee's webhook URL in a Radarr or Sonarr (Settings → Connect → Webhook, named 'Marquee'): the entry is updated when it exists, never added twice. The application tests the URL before it saves, so Marquee must be running and reachable at it.")
        {
            name, baseUrl,
        };
        command.SetAction((parse, ct) => context(parse).WithServicesAsync(
            async services =>
            {
                var ctx = context(parse);
                await ctx.Output.WriteLineAsync(await RegisterWebhookAsync(services, ctx, parse.GetValue(name)!, parse.GetValue(baseUrl), ct));
                return ExitCodes.Ok;
            },
            ct));
        return command;
    }

    /// <summary>Registers the webhook of a Radarr or Sonarr connection; returns what to print (the secret masked).</summary>
    private static async Task<string> RegisterWebhookAsync(IServiceProvider services, CliContext ctx, string connectionName, string? baseUrl, CancellationToken ct)
    {
        var connection = await services.GetRequiredService<ConnectionService>().FindAsync(connectionName, ct);
        var side = await services.GetRequiredService<ProviderFactory>().CreateAsync(connection.Id, ct);
        if (side.Provider is not ArrProvider arr)
        {
            throw new CliException($"connection '{connection.Name}' is a {connection.Kind} connection: only Radarr and Sonarr take a registered webhook (for Plex, Jellyfin and Emby see 'marquee webhook-url').", ExitCodes.Usage);
        }

        var (root, secret) = SecurityCommands.WebhookAddress(ctx.BuildConfiguration(), baseUrl);
        try
        {
            var (id, added) = await arr.RegisterWebhookAsync(new Uri(WebhookSecret.Url(root, secret, connection.Kind)), ct);
            return $"{(added ? "Registered" : "Updated")} Marquee's webhook in {arr.Client.Product} '{connection.Name}' (connection {id} named '{ArrProvider.WebhookName}'): {WebhookSecret.Url(root, "********", connection.Kind)}";
        }
        catch (ProviderException ex)
        {
            throw new CliException($"connection '{connection.Name}': the webhook was not registered: {ex.Message}");
        }
    }

    private static void Put(JsonObject settings, string key, string? value)
    {
        if (value is not null)
        {
            settings[key] = value;
        }
    }
}
