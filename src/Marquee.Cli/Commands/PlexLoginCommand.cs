using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Marquee.Cli.Output;
using Marquee.Core.Connections;
using Marquee.Providers.Plex;
using Microsoft.Extensions.DependencyInjection;

namespace Marquee.Cli.Commands;

/// <summary><c>connection add plex</c> without --url: PIN login (or --token), servers from resources, first answering URL kept.</summary>
internal static partial class PlexLoginCommand
{
    public static async Task<int> AddAsync(IServiceProvider services, CliContext ctx, string? name, string? token, string? server, int waitSeconds, bool json, CancellationToken cancellationToken)
    {
        var login = services.GetRequiredService<PlexLogin>();
        var clientId = "marquee-" + Guid.NewGuid().ToString("N");
        var accountToken = token;
        if (string.IsNullOrEmpty(accountToken))
        {
            var pin = await login.CreatePinAsync(clientId, cancellationToken);
            await ctx.Error.WriteLineAsync($"To sign in to Plex, open {pin.AuthUrl}");
            await ctx.Error.WriteLineAsync($"or go to https://plex.tv/link and enter the code: {pin.Code}");
            var progress = new ConsoleProgress(ctx.Error, waitSeconds);
            accountToken = await login.WaitForTokenAsync(pin, TimeSpan.FromSeconds(waitSeconds), progress, cancellationToken);
            await ctx.Error.WriteLineAsync();
            await ctx.Error.WriteLineAsync("Signed in.");
        }

        var servers = await login.DiscoverServersAsync(accountToken, clientId, cancellationToken);
        if (servers.Count == 0)
        {
            throw new CliException("This Plex account has no servers.");
        }

        IReadOnlyList<PlexServerChoice> picked;
        if (string.Equals(server, "all", StringComparison.OrdinalIgnoreCase))
        {
            picked = servers;
        }
        else if (server is not null)
        {
            picked = servers.Where(s => s.Name.Equals(server, StringComparison.OrdinalIgnoreCase) || s.MachineIdentifier.Equals(server, StringComparison.OrdinalIgnoreCase)).ToList();
            if (picked.Count == 0)
            {
                throw new CliException($"No server '{server}'; this account has: {string.Join(", ", servers.Select(s => s.Name))}.", ExitCodes.Usage);
            }
        }
        else if (servers.Count == 1)
        {
            picked = servers;
        }
        else
        {
            throw new CliException($"This account has several servers; pick with --server NAME or --server all: {string.Join(", ", servers.Select(s => s.Name))}.", ExitCodes.Usage);
        }

        var connections = services.GetRequiredService<ConnectionService>();
        var created = new List<ConnectionView>();
        var failed = 0;
        foreach (var choice in picked)
        {
            if (choice.Url is null)
            {
                failed++;
                await ctx.Error.WriteLineAsync($"error: no connection URL of '{choice.Name}' answered: {string.Join("; ", choice.Problems)}");
                continue;
            }

            var connectionName = picked.Count == 1 && name is not null ? name : name is not null ? $"{name}-{Slug(choice.Name)}" : Slug(choice.Name);
            var settings = new JsonObject
            {
                ["url"] = choice.Url.ToString(),
                ["token"] = choice.AccessToken,
                ["plexTvToken"] = accountToken,
                ["serverName"] = choice.Name,
                ["machineIdentifier"] = choice.MachineIdentifier,
                ["clientIdentifier"] = clientId,
            };
            var view = await connections.CreateAsync(connectionName, "plex", settings, cancellationToken);
            created.Add(view);
            if (!json)
            {
                await ctx.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Added connection '{view.Name}' (plex, id {view.Id}) for server '{choice.Name}' at {choice.Url}. See its accounts with: marquee connection show {view.Name}"));
            }
        }

        if (json)
        {
            CliJson.Write(ctx.Output, created);
        }

        return failed == 0 ? ExitCodes.Ok : ExitCodes.Failure;
    }

    private static string Slug(string name)
    {
        var slug = SlugPattern().Replace(name, "-").Trim('-', '.', '_');
        return slug.Length == 0 || slug.All(char.IsAsciiDigit) ? "plex-" + slug : slug.Length > 64 ? slug[..64] : slug;
    }

    [GeneratedRegex("[^A-Za-z0-9._-]+")]
    private static partial Regex SlugPattern();

    private sealed class ConsoleProgress(TextWriter error, int waitSeconds) : IProgress<TimeSpan>
    {
        public void Report(TimeSpan value) =>
            error.Write(string.Create(CultureInfo.InvariantCulture, $"\rWaiting for approval... {value.TotalSeconds:0} s of {waitSeconds} s"));
    }
}
