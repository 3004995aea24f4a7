using System.CommandLine;
using System.Runtime.InteropServices;
using Marquee.Simulators.Arr;
using Marquee.Simulators.Discord;
using Marquee.Simulators.Jellyfin;
using Marquee.Simulators.Ntfy;
using Marquee.Simulators.Plex;
using Marquee.Simulators.Shoko;
using Marquee.Simulators.Trakt;

namespace Marquee.Cli.Commands;

internal static partial class SimCommands
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var command = new Command("sim", "Run a simulated server for demos, benchmarks and your own scripts.");
        command.Add(Plex(context));
        command.Add(Jellyfin(context, JellyfinFlavor.Jellyfin));
        command.Add(Jellyfin(context, JellyfinFlavor.Emby));
        command.Add(Arr(context, ArrFlavor.Radarr));
        command.Add(Arr(context, ArrFlavor.Sonarr));
        command.Add(Discord(context));
        command.Add(Ntfy(context));
        command.Add(Trakt(context));
        command.Add(Shoko(context));
        command.Add(Seerr(context));
        return command;
    }

    private static Command Discord(Func<ParseResult, CliContext> context)
    {
        // The standalone simulator keeps the documented token, so that scripts can name its webhook.
        var defaults = new DiscordSimulatorOptions { WebhookToken = "sim-webhook-token" };
        var (port, latency, faults) = Common(8780);
        var rate = new Option<int>("--rate-limit") { Description = "Messages per webhook per window before a 429; 0 turns the limit off.", DefaultValueFactory = _ => defaults.RateLimit };
        var window = new Option<double>("--rate-window-seconds") { Description = "The rate limit's window, in seconds.", DefaultValueFactory = _ => defaults.RateWindowSeconds };
        var command = new Command("discord", "Run a simulated Discord webhook API (messages recorded, limits enforced) until stopped.") { port, rate, window, latency, faults };
        command.SetAction(async (parse, ct) =>
        {
            CheckCommon(parse, port, latency, faults);
            Check(parse.GetValue(rate) >= 0, "--rate-limit must be 0 or more.");
            Check(parse.GetValue(window) > 0, "--rate-window-seconds must be more than 0.");
            var options = defaults with { Port = parse.GetValue(port), RateLimit = parse.GetValue(rate), RateWindowSeconds = parse.GetValue(window), LatencyMs = parse.GetValue(latency), FaultRate = parse.GetValue(faults) };
            return await ServeUntilStoppedAsync(context(parse), options.Port, token => DiscordSimulator.StartAsync(options, token), simulator => simulator.Describe(), ct);
        });
        return command;
    }

    private static Command Ntfy(Func<ParseResult, CliContext> context)
    {
        var (port, latency, faults) = Common(8781);
        var tokens = new Option<string[]>("--token") { Description = "An access token (tk_...) the server accepts; repeat for more. Without any, publishing is open.", AllowMultipleArgumentsPerToken = false };
        var command = new Command("ntfy", "Run a simulated ntfy server (messages recorded, auth and limits enforced) until stopped.") { port, tokens, latency, faults };
        command.SetAction(async (parse, ct) =>
        {
            CheckCommon(parse, port, latency, faults);
            var given = parse.GetValue(tokens) ?? [];
            Check(given.All(t => t.StartsWith("tk_", StringComparison.Ordinal) && t.Length > 3 && !t.Any(char.IsWhiteSpace)), "--token must look like tk_... (no spaces).");
            var options = new NtfySimulatorOptions { Port = parse.GetValue(port), Tokens = given, LatencyMs = parse.GetValue(latency), FaultRate = parse.GetValue(faults) };
            return await ServeUntilStoppedAsync(context(parse), options.Port, token => NtfySimulator.StartAsync(options, token), simulator => simulator.Describe(), ct);
        });
        return command;
    }

    private static Command Shoko(Func<ParseResult, CliContext> context)
    {
        var defaults = new ShokoSimulatorOptions();
        var (port, latency, faults) = Common(8111);
        var seed = new Option<int>("--seed") { Description = "Catalog seed: the same seed gives the anime library of 'sim plex --shoko-anime'.", DefaultValueFactory = _ => defaults.Seed };
        var series = new Option<int>("--series") { Description = "Number of series (at least 3 give every kind of file and agent).", DefaultValueFactory = _ => defaults.Series };
        var version = new Option<string>("--server-version") { Description = "Server line to behave as: 5 (stable) or 6 (daily).", DefaultValueFactory = _ => "5" };
        var users = new Option<string[]>("--user") { Description = "A user name (repeat; the first is the administrator). Default: admin, anna, bob.", AllowMultipleArgumentsPerToken = false };
        var password = new Option<string>("--password") { Description = "Password of every user (default none, as Shoko accounts often have).", DefaultValueFactory = _ => string.Empty };
        var command = new Command("shoko", "Run a simulated Shoko Server (API v3, per-user watched state) until stopped.") { port, seed, series, version, users, password, latency, faults };
        command.SetAction(async (parse, ct) =>
        {
            CheckCommon(parse, port, latency, faults);
            Check(parse.GetValue(series) is >= 1 and <= 1000, "--series must be between 1 and 1000.");
            Check(parse.GetValue(version) is "5" or "6", "--server-version must be 5 or 6.");
            var names = parse.GetValue(users) is { Length: > 0 } given ? given : [.. defaults.UserNames];
            Check(names.All(n => !string.IsNullOrWhiteSpace(n)) && names.Distinct(StringComparer.OrdinalIgnoreCase).Count() == names.Length, "--user names must be non-empty and distinct.");
            var options = defaults with
            {
                Port = parse.GetValue(port),
                Seed = parse.GetValue(seed),
                Series = parse.GetValue(series),
                Version = parse.GetValue(version) == "6" ? ShokoServerVersion.V6 : ShokoServerVersion.V5,
                UserNames = names,
                Password = parse.GetValue(password) ?? string.Empty,
                LatencyMs = parse.GetValue(latency),
                FaultRate = parse.GetValue(faults),
            };
            return await ServeUntilStoppedAsync(context(parse), options.Port, token => ShokoSimulator.StartAsync(options, token), simulator => simulator.Describe(), ct);
        });
        return command;
    }

    private static Command Trakt(Func<ParseResult, CliContext> context)
    {
        var defaults = new TraktSimulatorOptions();
        var (port, latency, faults) = Common(8782);
        var seed = new Option<int>("--seed") { Description = "Catalogue seed: the same seed gives the titles and ids of 'sim plex'.", DefaultValueFactory = _ => defaults.Seed };
        var movies = new Option<int>("--movies") { Description = "Number of movies 'sim plex' would generate.", DefaultValueFactory = _ => defaults.Movies };
        var shows = new Option<int>("--shows") { Description = "Number of shows 'sim plex' would generate.", DefaultValueFactory = _ => defaults.Shows };
        var accounts = new Option<string[]>("--account") { Description = "An account name; repeat for more (default: anna and ben)." };
        var clientId = new Option<string>("--client-id") { Description = "The app's client id (trakt-api-key).", DefaultValueFactory = _ => defaults.ClientId };
        var secret = new Option<string>("--client-secret") { Description = "The app's client secret.", DefaultValueFactory = _ => defaults.ClientSecret };
        var autoApprove = new Option<string?>("--auto-approve") { Description = "Approve every device code for this account at its second poll.", HelpName = "ACCOUNT" };
        var interval = new Option<int>("--poll-interval") { Description = "Device-flow polling interval in seconds (polling faster is a 429).", DefaultValueFactory = _ => defaults.PollIntervalSeconds };
        var lifetime = new Option<int>("--token-lifetime") { Description = "Access-token lifetime in seconds.", DefaultValueFactory = _ => defaults.TokenLifetimeSeconds };
        var postWindow = new Option<int>("--post-window-ms") { Description = "One write per this many milliseconds per account; 0 turns the limit off.", DefaultValueFactory = _ => defaults.PostWindowMs };
        var getLimit = new Option<int>("--get-limit") { Description = "GETs per account per 5 minutes; 0 turns the limit off.", DefaultValueFactory = _ => defaults.GetLimit };
        var watchlistLimit = new Option<int>("--watchlist-limit") { Description = "Watchlist items per account before adds get 420.", DefaultValueFactory = _ => defaults.WatchlistLimit };
        var command = new Command("trakt", "Run a simulated Trakt API (device login, history, ratings, watchlist, playback, rate limits) until stopped.")
        {
            port, seed, movies, shows, accounts, clientId, secret, autoApprove, interval, lifetime, postWindow, getLimit, watchlistLimit, latency, faults,
        };
        command.SetAction(async (parse, ct) =>
        {
            CheckCommon(parse, port, latency, faults);
            var names = parse.GetValue(accounts) is { Length: > 0 } given ? given : [.. defaults.Accounts];
            Check(names.All(n => n.Length > 0 && n.All(char.IsLetterOrDigit)), "--account must be letters and digits only.");
            Check(names.Distinct(StringComparer.OrdinalIgnoreCase).Count() == names.Length, "--account names must differ.");
            Check(parse.GetValue(movies) >= 0 && parse.GetValue(shows) >= 0, "--movies and --shows must be 0 or more.");
            Check(!string.IsNullOrWhiteSpace(parse.GetValue(clientId)) && !string.IsNullOrWhiteSpace(parse.GetValue(secret)), "--client-id and --client-secret must not be empty.");
            Check(parse.GetValue(autoApprove) is not { } auto || names.Contains(auto, StringComparer.OrdinalIgnoreCase), "--auto-approve must name one of the accounts.");
            Check(parse.GetValue(interval) >= 0, "--poll-interval must be 0 or more.");
            Check(parse.GetValue(lifetime) > 0, "--token-lifetime must be more than 0.");
            Check(parse.GetValue(postWindow) >= 0 && parse.GetValue(getLimit) >= 0 && parse.GetValue(watchlistLimit) >= 0, "--post-window-ms, --get-limit and --watchlist-limit must be 0 or more.");
            var window = parse.GetValue(postWindow);
            var options = defaults with
            {
                Port = parse.GetValue(port),
                Seed = parse.GetValue(seed),
                Movies = parse.GetValue(movies),
                Shows = parse.GetValue(shows),
                Accounts = names,
                ClientId = parse.GetValue(clientId)!,
                ClientSecret = parse.GetValue(secret)!,
                AutoApprove = parse.GetValue(autoApprove),
                PollIntervalSeconds = parse.GetValue(interval),
                TokenLifetimeSeconds = parse.GetValue(lifetime),
                PostLimit = window == 0 ? 0 : 1,
                PostWindowMs = window == 0 ? 1000 : window,
                GetLimit = parse.GetValue(getLimit),
                WatchlistLimit = parse.GetValue(watchlistLimit),
                LatencyMs = parse.GetValue(latency),
                FaultRate = parse.GetValue(faults),
            };
            return await ServeUntilStoppedAsync(context(parse), options.Port, token => TraktSimulator.StartAsync(options, token), simulator => simulator.Describe(), ct);
        });
        return command;
    }

    private static (Option<int> Port, Option<int> Latency, Option<double> Faults) Common(int defaultPort) =>
        (new Option<int>("--port") { Description = "Port; 0 picks a free one.", DefaultValueFactory = _ => defaultPort },
         new Option<int>("--latency-ms") { Description = "Added latency per request, in milliseconds." },
         new Option<double>("--fault-rate") { Description = "Share (0 to 1) of requests that fail with a random fault." });

    private static void CheckCommon(ParseResult parse, Option<int> port, Option<int> latency, Option<double> faults)
    {
        Check(parse.GetValue(port) is >= 0 and <= 65535, "--port must be between 0 and 65535.");
        Check(parse.GetValue(faults) is >= 0 and <= 1, "--fault-rate must be between 0 and 1.");
        Check(parse.GetValue(latency) >= 0, "--latency-ms must be 0 or more.");
    }

    private static Command Plex(Func<ParseResult, CliContext> context)
    {
        var defaults = new PlexSimulatorOptions();
        var port = new Option<int>("--port") { Description = "Media server port; 0 picks a free one.", DefaultValueFactory = _ => 32400 };
        var seed = new Option<int>("--seed") { Description = "Library generator seed: the same seed gives the same titles.", DefaultValueFactory = _ => defaults.Seed };
        var movies = new Option<int>("--movies") { Description = "Number of movies.", DefaultValueFactory = _ => defaults.Movies };
        var shows = new Option<int>("--shows") { Description = "Number of shows.", DefaultValueFactory = _ => defaults.Shows };
        var homeUsers = new Option<int>("--home-users") { Description = "Plex Home users besides the owner.", DefaultValueFactory = _ => defaults.HomeUsers };
        var friends = new Option<int>("--friends") { Description = "Friends the server is shared with.", DefaultValueFactory = _ => defaults.Friends };
        var token = new Option<string>("--token") { Description = "The owner's token.", DefaultValueFactory = _ => defaults.OwnerToken };
        var variant = new Option<int>("--variant") { Description = "Same seed, other variant: the same titles under other ratingKeys and partly other agents, like a second server." };
        var legacy = new Option<double>("--legacy-share") { Description = "Share (0 to 1) of items matched by legacy agents.", DefaultValueFactory = _ => defaults.LegacyShare };
        var latency = new Option<int>("--latency-ms") { Description = "Added latency per request, in milliseconds." };
        var faults = new Option<double>("--fault-rate") { Description = "Share (0 to 1) of requests that fail with a random fault." };
        var webhook = new Option<string?>("--webhook-url") { Description = "URL the owner's webhooks are posted to.", HelpName = "URL" };
        var servers = new Option<int>("--servers")
        {
            Description = "Number of servers of the same owner (1 to 10) behind one plex.tv: the same titles under other ratingKeys (variants --variant, --variant + 1, ...), on --port, --port + 1, ... (0: free ports).",
            DefaultValueFactory = _ => 1,
        };
        var shokoAnime = new Option<int?>("--shoko-anime") { Description = "Adds an \"Anime (Shoko)\" library with this many series: the catalog of 'sim shoko --seed S --series N', matched by Shoko Relay, the legacy Shoko agent and HAMA.", HelpName = "N" };
        var command = new Command("plex", "Run a simulated Plex Media Server with plex.tv and Discover until stopped.")
        {
            port, seed, movies, shows, homeUsers, friends, token, variant, legacy, latency, faults, webhook, servers, shokoAnime,
        };
        command.SetAction(async (parse, ct) =>
        {
            var ctx = context(parse);
            Uri? webhookUrl = null;
            if (parse.GetValue(webhook) is { Length: > 0 } url && (!Uri.TryCreate(url, UriKind.Absolute, out webhookUrl) || webhookUrl.Scheme is not ("http" or "https")))
            {
                throw new CliException($"--webhook-url must be an absolute http:// or https:// URL, not '{url}'.", ExitCodes.Usage);
            }

            Check(parse.GetValue(port) is >= 0 and <= 65535, "--port must be between 0 and 65535.");
            Check(parse.GetValue(movies) >= 0 && parse.GetValue(shows) >= 0, "--movies and --shows must be 0 or more.");
            Check(parse.GetValue(homeUsers) >= 0 && parse.GetValue(friends) >= 0, "--home-users and --friends must be 0 or more.");
            Check(parse.GetValue(legacy) is >= 0 and <= 1, "--legacy-share must be between 0 and 1.");
            Check(parse.GetValue(faults) is >= 0 and <= 1, "--fault-rate must be between 0 and 1.");
            Check(parse.GetValue(latency) >= 0, "--latency-ms must be 0 or more.");
            Check(!string.IsNullOrWhiteSpace(parse.GetValue(token)), "--token must not be empty.");
            var count = parse.GetValue(servers);
            Check(count is >= 1 and <= 10, "--servers must be between 1 and 10.");
            Check(parse.GetValue(port) == 0 || parse.GetValue(port) + count - 1 <= 65535, "--port + --servers - 1 must not pass 65535.");
            Check(parse.GetValue(shokoAnime) is null or (>= 1 and <= 1000), "--shoko-anime must be between 1 and 1000.");

            var options = new PlexSimulatorOptions
            {
                Port = parse.GetValue(port),
                Seed = parse.GetValue(seed),
                Movies = parse.GetValue(movies),
                Shows = parse.GetValue(shows),
                HomeUsers = parse.GetValue(homeUsers),
                Friends = parse.GetValue(friends),
                OwnerToken = parse.GetValue(token)!,
                Variant = parse.GetValue(variant),
                LegacyShare = parse.GetValue(legacy),
                LatencyMs = parse.GetValue(latency),
                FaultRate = parse.GetValue(faults),
                WebhookUrl = webhookUrl,
                ShokoAnime = parse.GetValue(shokoAnime) is not null,
                ShokoSeries = parse.GetValue(shokoAnime) ?? 6,
            };

            if (count == 1)
            {
                return await ServeUntilStoppedAsync(ctx, options.Port, token => PlexSimulator.StartAsync(options, token), simulator => simulator.Describe(), ct);
            }

            return await ServeUntilStoppedAsync(ctx, options.Port, token => PlexFleet.StartAsync(options, count, token), fleet => fleet.Describe(), ct);
        });
        return command;
    }

    /// <summary>Several servers of one owner (same seed: the same accounts and tokens) behind one plex.tv.</summary>
    private sealed class PlexFleet : IAsyncDisposable
    {
        private readonly List<PlexSimulator> _servers;
        private PlexTvFederation? _plexTv;

        private PlexFleet(List<PlexSimulator> servers) => _servers = servers;

        public static async Task<PlexFleet> StartAsync(PlexSimulatorOptions options, int count, CancellationToken ct)
        {
            var fleet = new PlexFleet([]);
            try
            {
                for (var i = 0; i < count; i++)
                {
                    fleet._servers.Add(await PlexSimulator.StartAsync(
                        options with
                        {
                            Port = options.Port == 0 ? 0 : options.Port + i,
                            Variant = options.Variant + i,
                            ServerName = $"{options.ServerName}-{i + 1}",
                        },
                        ct));
                }

                fleet._plexTv = await PlexTvFederation.StartAsync(fleet._servers, ct);
                return fleet;
            }
            catch
            {
                await fleet.DisposeAsync();
                throw;
            }
        }

        public string Describe()
        {
            var text = new System.Text.StringBuilder();
            text.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"{_servers.Count} Plex servers of one owner behind one plex.tv");
            text.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"  plex.tv (all servers)  {_plexTv!.Uri}");
            foreach (var server in _servers)
            {
                text.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"  {server.State.Options.ServerName,-22} {server.BaseUri}");
            }

            foreach (var server in _servers)
            {
                text.AppendLine();
                text.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"== {server.State.Options.ServerName} ==");
                text.Append(server.Describe());
            }

            return text.ToString();
        }

        public async ValueTask DisposeAsync()
        {
            if (_plexTv is not null)
            {
                await _plexTv.DisposeAsync();
            }

            foreach (var server in _servers)
            {
                await server.DisposeAsync();
            }
        }
    }

    private static Command Jellyfin(Func<ParseResult, CliContext> context, JellyfinFlavor flavor)
    {
        var defaults = new JellyfinSimulatorOptions();
        var name = flavor == JellyfinFlavor.Emby ? "emby" : "jellyfin";
        var port = new Option<int>("--port") { Description = "Server port; 0 picks a free one.", DefaultValueFactory = _ => flavor == JellyfinFlavor.Emby ? 8097 : 8096 };
        var seed = new Option<int>("--seed") { Description = "Library generator seed: the same seed gives the same titles and ids as 'sim plex'.", DefaultValueFactory = _ => defaults.Seed };
        var movies = new Option<int>("--movies") { Description = "Number of movies.", DefaultValueFactory = _ => defaults.Movies };
        var shows = new Option<int>("--shows") { Description = "Number of shows.", DefaultValueFactory = _ => defaults.Shows };
        var users = new Option<int>("--users") { Description = "Number of users; the first is the administrator.", DefaultValueFactory = _ => defaults.Users };
        var apiKey = new Option<string>("--api-key") { Description = "An API key the server accepts.", DefaultValueFactory = _ => defaults.ApiKey };
        var legacy = new Option<bool>("--legacy-auth") { Description = "Accept X-Emby-Token, X-Emby-Authorization and api_key (Jellyfin's EnableLegacyAuthorization; Emby always does)." };
        var latency = new Option<int>("--latency-ms") { Description = "Added latency per request, in milliseconds." };
        var faults = new Option<double>("--fault-rate") { Description = "Share (0 to 1) of requests that fail with a random fault." };
        var webhook = new Option<string?>("--webhook-url") { Description = "URL webhook payloads are posted to.", HelpName = "URL" };
        var command = new Command(name, $"Run a simulated {(flavor == JellyfinFlavor.Emby ? "Emby" : "Jellyfin")} server until stopped.")
        {
            port, seed, movies, shows, users, apiKey, legacy, latency, faults, webhook,
        };
        command.SetAction(async (parse, ct) =>
        {
            var ctx = context(parse);
            Uri? webhookUrl = null;
            if (parse.GetValue(webhook) is { Length: > 0 } url && (!Uri.TryCreate(url, UriKind.Absolute, out webhookUrl) || webhookUrl.Scheme is not ("http" or "https")))
            {
                throw new CliException($"--webhook-url must be an absolute http:// or https:// URL, not '{url}'.", ExitCodes.Usage);
            }

            Check(parse.GetValue(port) is >= 0 and <= 65535, "--port must be between 0 and 65535.");
            Check(parse.GetValue(movies) >= 0 && parse.GetValue(shows) >= 0, "--movies and --shows must be 0 or more.");
            Check(parse.GetValue(users) is >= 1 and <= 100, "--users must be between 1 and 100.");
            Check(parse.GetValue(faults) is >= 0 and <= 1, "--fault-rate must be between 0 and 1.");
            Check(parse.GetValue(latency) >= 0, "--latency-ms must be 0 or more.");
            Check(!string.IsNullOrWhiteSpace(parse.GetValue(apiKey)), "--api-key must not be empty.");

            var options = new JellyfinSimulatorOptions
            {
                Flavor = flavor,
                Port = parse.GetValue(port),
                Seed = parse.GetValue(seed),
                Movies = parse.GetValue(movies),
                Shows = parse.GetValue(shows),
                Users = parse.GetValue(users),
                ApiKey = parse.GetValue(apiKey)!,
                LegacyAuthorization = parse.GetValue(legacy),
                LatencyMs = parse.GetValue(latency),
                FaultRate = parse.GetValue(faults),
                WebhookUrl = webhookUrl,
            };

            return await ServeUntilStoppedAsync(ctx, options.Port, token => JellyfinSimulator.StartAsync(options, token), simulator => simulator.Describe(), ct);
        });
        return command;
    }

    private static Command Arr(Func<ParseResult, CliContext> context, ArrFlavor flavor)
    {
        var defaults = new ArrSimulatorOptions();
        var radarr = flavor == ArrFlavor.Radarr;
        var name = radarr ? "radarr" : "sonarr";
        var port = new Option<int>("--port") { Description = "Port; 0 picks a free one.", DefaultValueFactory = _ => radarr ? 7878 : 8989 };
        var seed = new Option<int>("--seed") { Description = "Library generator seed: the same seed gives the titles and ids of 'sim plex'.", DefaultValueFactory = _ => defaults.Seed };
        var size = new Option<int>(radarr ? "--movies" : "--shows") { Description = radarr ? "Number of movies 'sim plex' would generate." : "Number of shows 'sim plex' would generate.", DefaultValueFactory = _ => radarr ? defaults.Movies : defaults.Shows };
        var missing = new Option<int>("--missing") { Description = "Wanted items only the application holds (not on Plex).", DefaultValueFactory = _ => defaults.Missing };
        var apiKey = new Option<string>("--api-key") { Description = "The API key every call must carry.", DefaultValueFactory = _ => defaults.ApiKey };
        var urlBase = new Option<string>("--url-base") { Description = "URL base the application is served under, for example /radarr.", DefaultValueFactory = _ => string.Empty };
        var instance = new Option<string>("--instance-name") { Description = "Instance name (webhooks' instanceName).", DefaultValueFactory = _ => string.Empty };
        var latency = new Option<int>("--latency-ms") { Description = "Added latency per request, in milliseconds." };
        var faults = new Option<double>("--fault-rate") { Description = "Share (0 to 1) of requests that fail with a random fault." };
        var command = new Command(name, $"Run a simulated {(radarr ? "Radarr" : "Sonarr")} until stopped.")
        {
            port, seed, size, missing, apiKey, urlBase, instance, latency, faults,
        };
        command.SetAction(async (parse, ct) =>
        {
            var ctx = context(parse);
            Check(parse.GetValue(port) is >= 0 and <= 65535, "--port must be between 0 and 65535.");
            Check(parse.GetValue(size) >= 0 && parse.GetValue(missing) >= 0, $"{size.Name} and --missing must be 0 or more.");
            Check(parse.GetValue(faults) is >= 0 and <= 1, "--fault-rate must be between 0 and 1.");
            Check(parse.GetValue(latency) >= 0, "--latency-ms must be 0 or more.");
            Check(!string.IsNullOrWhiteSpace(parse.GetValue(apiKey)), "--api-key must not be empty.");
            Check(parse.GetValue(urlBase) is not { } b || b.Length == 0 || (b.StartsWith('/') && Uri.IsWellFormedUriString(b, UriKind.Relative)), "--url-base must start with '/', for example /radarr.");

            var options = new ArrSimulatorOptions
            {
                Flavor = flavor,
                Port = parse.GetValue(port),
                Seed = parse.GetValue(seed),
                Movies = radarr ? parse.GetValue(size) : defaults.Movies,
                Shows = radarr ? defaults.Shows : parse.GetValue(size),
                Missing = parse.GetValue(missing),
                ApiKey = parse.GetValue(apiKey)!,
                UrlBase = parse.GetValue(urlBase) ?? string.Empty,
                InstanceName = parse.GetValue(instance) ?? string.Empty,
                LatencyMs = parse.GetValue(latency),
                FaultRate = parse.GetValue(faults),
            };

            return await ServeUntilStoppedAsync(ctx, options.Port, token => ArrSimulator.StartAsync(options, token), simulator => simulator.Describe(), ct);
        });
        return command;
    }

    /// <summary>Starts a simulator, prints how to reach it and serves until SIGINT or SIGTERM.</summary>
    private static async Task<int> ServeUntilStoppedAsync<TSimulator>(
        CliContext ctx, int port, Func<CancellationToken, Task<TSimulator>> start, Func<TSimulator, string> describe, CancellationToken ct)
        where TSimulator : IAsyncDisposable
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        TSimulator simulator;
        try
        {
            simulator = await start(stop.Token);
        }
        catch (IOException ex)
        {
            throw new CliException($"Cannot listen on port {port}: {ex.Message}");
        }

        await using (simulator)
        {
            await ctx.Output.WriteLineAsync(describe(simulator));
            await ctx.Output.WriteLineAsync("Press Ctrl+C to stop.");
            await ctx.Output.FlushAsync(stop.Token);
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
        }

        return ExitCodes.Ok;

        void Stop(PosixSignalContext signal)
        {
            signal.Cancel = true;
            stop.Cancel();
        }
    }

    private static void Check(bool ok, string message)
    {
        if (!ok)
        {
            throw new CliException(message, ExitCodes.Usage);
        }
    }
}
