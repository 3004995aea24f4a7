using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Marquee.Core.Connections;
using Marquee.Core.Providers;
using Marquee.Core.Validation;
using Marquee.Providers.Plex;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static Marquee.Web.Ui.Html;

namespace Marquee.Web.Ui;

/// <summary>
/// Connections: the list with test and remove, an add form generated from each provider's settings description (a new
/// provider gets its form for free), and Plex's PIN login in the browser, as Plex's own apps do it.
/// </summary>
internal static partial class ConnectionPages
{
    public static void MapConnectionPages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/connections", async (HttpContext http, ConnectionService connections, ProviderRegistry registry, string? notice, CancellationToken ct) =>
            List(http, await connections.ListAsync(ct), registry, notice, null));

        app.MapPost("/connections/{id:long}/test", async (HttpContext http, long id, ConnectionService connections, ProviderRegistry registry, CancellationToken ct) =>
        {
            var key = id.ToString(CultureInfo.InvariantCulture);
            var connection = await connections.GetAsync(key, ct);
            var outcome = await connections.TestStoredAsync(key, ct);
            return List(http, await connections.ListAsync(ct), registry, outcome.Ok ? $"'{connection.Name}' answers: the test passed." : null, outcome.Ok ? null : $"'{connection.Name}' failed its test: {outcome.Reason}");
        });

        app.MapGet("/connections/{id:long}/remove", async (HttpContext http, long id, ConnectionService connections, CancellationToken ct) =>
        {
            var connection = await connections.GetAsync(id.ToString(CultureInfo.InvariantCulture), ct);
            return Page.Render(http, $"Remove {connection.Name}?", H($"""
                <p>Marquee forgets this connection, its accounts and their links to profiles. The server itself is not touched.</p>
                {Page.PostForm(http, $"/connections/{id}/remove", H($"<input type=\"hidden\" name=\"confirm\" value=\"yes\">"), "Yes, remove it", "inline")}
                <a href="/connections">No, keep it</a>
                """));
        });

        app.MapPost("/connections/{id:long}/remove", async (HttpContext http, long id, ConnectionService connections, ProviderRegistry registry, CancellationToken ct) =>
        {
            var form = await http.Request.ReadFormAsync(ct);
            var key = id.ToString(CultureInfo.InvariantCulture);
            var connection = await connections.GetAsync(key, ct);
            if (form["confirm"] != "yes")
            {
                return Results.Redirect($"/connections/{id}/remove");
            }

            try
            {
                await connections.DeleteAsync(key, ct);
            }
            catch (ConflictException ex)
            {
                return List(http, await connections.ListAsync(ct), registry, null, ex.Message, StatusCodes.Status409Conflict);
            }

            return Results.Redirect("/connections?notice=" + Uri.EscapeDataString($"Removed '{connection.Name}'."));
        });

        app.MapGet("/connections/add/{kind}", (HttpContext http, string kind, ProviderRegistry registry) =>
            Find(registry, kind) is { } descriptor ? AddPage(http, descriptor, new Dictionary<string, string?>(), FormErrors.None, null) : RunPages.NotFound(http, $"There is no provider '{kind}'."));

        app.MapPost("/connections/add/{kind}", async (HttpContext http, string kind, ProviderRegistry registry, ConnectionService connections, CancellationToken ct) =>
        {
            if (Find(registry, kind) is not { } descriptor)
            {
                return RunPages.NotFound(http, $"There is no provider '{kind}'.");
            }

            var form = await http.Request.ReadFormAsync(ct);
            var fields = SettingsField.Describe(descriptor.SettingsType);
            var values = fields.ToDictionary(f => f.Name, f => (string?)form[f.Name].ToString(), StringComparer.Ordinal);
            var name = form["name"].ToString();
            values["name"] = name;
            var names = fields.Select(f => f.Name).Append("name").ToList();
            var (settings, problems) = Settings(fields, values);
            if (problems.Count > 0)
            {
                return AddPage(http, descriptor, values, new FormErrors(problems, names), null, StatusCodes.Status400BadRequest);
            }

            try
            {
                // Tested before it is saved, so that a typo is shown next to its field and nothing is stored; a server that is
                // down can still be saved on purpose.
                var test = await connections.TestNewAsync(name, descriptor.Kind, settings, ct);
                if (!test.Ok && !Page.IsTrue(form["saveAnyway"]))
                {
                    return AddPage(http, descriptor, values, new FormErrors(test.Problems, names), test.Reason, StatusCodes.Status400BadRequest);
                }

                var created = await connections.CreateAsync(name, descriptor.Kind, settings, ct);
                return Results.Redirect("/connections?notice=" + Uri.EscapeDataString($"Added '{created.Name}' ({descriptor.DisplayName}){(test.Ok ? "; its test passed" : "; its test failed")}."));
            }
            catch (ValidationException ex)
            {
                return AddPage(http, descriptor, values, new FormErrors(ex.Problems, names), null, StatusCodes.Status400BadRequest);
            }
            catch (ConflictException ex)
            {
                return AddPage(http, descriptor, values, new FormErrors([new FieldProblem(ex.Field, ex.Message)], names), null, StatusCodes.Status409Conflict);
            }
        });

        app.MapPost("/connections/plex/start", async (HttpContext http, PlexLogin login, PlexSignIns signIns, CancellationToken ct) =>
        {
            var clientId = "marquee-" + Guid.NewGuid().ToString("N");
            var pin = await login.CreatePinAsync(clientId, ct);
            return Results.Redirect($"/connections/plex/{signIns.Add(pin)}");
        });

        app.MapGet("/connections/plex/{key}", async (HttpContext http, string key, PlexLogin login, PlexSignIns signIns, CancellationToken ct) =>
        {
            if (signIns.Find(key) is not { } signIn)
            {
                return RunPages.NotFound(http, "This Plex sign-in has ended; start again from the connections page.");
            }

            if (signIn.Servers is null)
            {
                try
                {
                    // One look at the PIN (a zero wait): the page reloads itself until Plex says it was approved.
                    signIn.AccountToken = await login.WaitForTokenAsync(signIn.Pin, TimeSpan.Zero, null, ct);
                }
                catch (ProviderException ex) when (ex.Status is null)
                {
                    return Page.Render(
                        http,
                        "Sign in with Plex",
                        H($"""
                            <ol>
                            <li>Open <a href="{signIn.Pin.AuthUrl}" target="_blank" rel="noopener noreferrer" id="plex-auth">Plex's sign-in page</a> (or go to <a href="https://plex.tv/link" target="_blank" rel="noopener noreferrer">plex.tv/link</a> and enter the code <strong id="plex-code">{signIn.Pin.Code}</strong>).</li>
                            <li>Sign in there as the owner of your servers. This page goes on by itself once Plex says yes.</li>
                            </ol>
                            <p role="status"><a href="/connections/plex/{key}">Check again</a></p>
                            """),
                        head: H($"<meta http-equiv=\"refresh\" content=\"2\">"));
                }
                catch (ProviderException ex)
                {
                    signIns.Remove(key);
                    return Page.Render(http, "Sign in with Plex", H($"<p class=\"alert\" role=\"alert\">{ex.Message}</p><p><a href=\"/connections\">Back to the connections</a></p>"), StatusCodes.Status502BadGateway);
                }

                signIn.Servers = await login.DiscoverServersAsync(signIn.AccountToken, signIn.Pin.ClientIdentifier, ct);
            }

            return ServersPage(http, key, signIn, FormErrors.None);
        });

        app.MapPost("/connections/plex/{key}", async (HttpContext http, string key, PlexSignIns signIns, ConnectionService connections, CancellationToken ct) =>
        {
            if (signIns.Find(key) is not { Servers: { } servers, AccountToken: { } token } signIn)
            {
                return RunPages.NotFound(http, "This Plex sign-in has ended; start again from the connections page.");
            }

            var form = await http.Request.ReadFormAsync(ct);
            var picked = servers.Where(s => form["server"].Contains(s.MachineIdentifier)).ToList();
            if (picked.Count == 0)
            {
                return ServersPage(http, key, signIn, new FormErrors([new FieldProblem("server", "Pick at least one server.")], ["server"]), StatusCodes.Status400BadRequest);
            }

            var unreachable = picked.Where(s => s.Url is null).Select(s => s.Name).ToList();
            if (unreachable.Count > 0)
            {
                return ServersPage(http, key, signIn, new FormErrors([new FieldProblem("server", $"No address of {string.Join(", ", unreachable)} answered; it cannot be added now.")], ["server"]), StatusCodes.Status400BadRequest);
            }

            var names = picked.Select(s => Slug(s.Name)).ToList();
            var existing = (await connections.ListAsync(ct)).Select(c => c.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
            if (names.FirstOrDefault(existing.Contains) is { } taken)
            {
                return ServersPage(http, key, signIn, new FormErrors([new FieldProblem("server", $"A connection named '{taken}' exists already; remove it first or add this server with its own form.")], ["server"]), StatusCodes.Status409Conflict);
            }

            foreach (var (server, name) in picked.Zip(names))
            {
                await connections.CreateAsync(name, "plex", new JsonObject
                {
                    ["url"] = server.Url!.ToString(),
                    ["token"] = server.AccessToken,
                    ["plexTvToken"] = token,
                    ["serverName"] = server.Name,
                    ["machineIdentifier"] = server.MachineIdentifier,
                    ["clientIdentifier"] = signIn.Pin.ClientIdentifier,
                }, ct);
            }

            signIns.Remove(key);
            return Results.Redirect("/connections?notice=" + Uri.EscapeDataString($"Added {string.Join(", ", names)}."));
        });
    }

    /// <summary>Turns the posted text of each field into the settings JSON, by the field's value type.</summary>
    private static (JsonObject Settings, List<FieldProblem> Problems) Settings(IReadOnlyList<SettingsField> fields, Dictionary<string, string?> values)
    {
        var settings = new JsonObject();
        var problems = new List<FieldProblem>();
        foreach (var field in fields)
        {
            var text = values.GetValueOrDefault(field.Name)?.Trim();
            var type = field.ValueType.TrimEnd('?');
            if (type == "boolean")
            {
                settings[field.Name] = Page.IsTrue(text);
                continue;
            }

            if (string.IsNullOrEmpty(text))
            {
                continue;
            }

            switch (type)
            {
                case "integer" when long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number):
                    settings[field.Name] = number;
                    break;
                case "integer":
                    problems.Add(new FieldProblem(field.Name, $"'{field.Label}' must be a whole number."));
                    break;
                case "number" when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real):
                    settings[field.Name] = real;
                    break;
                case "number":
                    problems.Add(new FieldProblem(field.Name, $"'{field.Label}' must be a number."));
                    break;
                case "array":
                    settings[field.Name] = new JsonArray([.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(v => (JsonNode)JsonValue.Create(v))]);
                    break;
                default:
                    settings[field.Name] = text;
                    break;
            }
        }

        return (settings, problems);
    }

    private static IResult List(HttpContext http, IReadOnlyList<ConnectionView> connections, ProviderRegistry registry, string? notice, string? alert, int status = StatusCodes.Status200OK) =>
        Page.Render(http, "Connections", H($"""
            {Page.Notice(notice)}
            {When(alert is not null, H($"<p class=\"alert\" role=\"alert\">{alert}</p>"))}
            {(connections.Count == 0 ? H($"<p>No connection yet.</p>") : H($"""
                <table><thead><tr><th scope="col">Name</th><th scope="col">Kind</th><th scope="col">Address</th><th scope="col">Added</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
                <tbody>{Join(connections, c => H($"<tr id=\"c-{c.Id}\"><td>{c.Name}</td><td>{c.Kind}</td><td>{c.Settings["url"]?.ToString()}</td><td>{Page.Time(c.CreatedAt)}</td><td>{Page.Button(http, $"/connections/{c.Id}/test", "Test")}<a href=\"/connections/{c.Id}/remove\">Remove</a></td></tr>"))}</tbody></table>
                """))}
            <h2>Add a connection</h2>
            {Page.PostForm(http, "/connections/plex/start", Html.Empty, "Sign in with Plex", "inline")}
            <ul>{Join(registry.All.OrderBy(d => d.DisplayName, StringComparer.Ordinal), d => H($"<li><a href=\"/connections/add/{d.Kind}\">Add {d.DisplayName} by its settings</a></li>"))}</ul>
            """), status);

    private static IResult AddPage(HttpContext http, IProviderDescriptor descriptor, Dictionary<string, string?> values, FormErrors errors, string? testFailure, int status = StatusCodes.Status200OK)
    {
        var fields = SettingsField.Describe(descriptor.SettingsType);
        Html Render(SettingsField f) => Page.Input(
            f.Name,
            f.Label,
            f.Secret ? null : values.GetValueOrDefault(f.Name),
            errors,
            f.Secret || f.Kind == FieldKind.Password ? "password" : f.Kind == FieldKind.Checkbox || f.ValueType.StartsWith("boolean", StringComparison.Ordinal) ? "checkbox" : f.Kind == FieldKind.Number ? "number" : f.Kind == FieldKind.Url ? "url" : "text",
            f.HelpText,
            f.Required);
        return Page.Render(http, $"Add {descriptor.DisplayName}", H($"""
            {When(testFailure is not null, H($"<p class=\"alert\" role=\"alert\">The test failed: {testFailure}. Nothing was saved; fix the settings, or tick the box below to save it anyway.</p>"))}
            {Page.Problems(errors)}
            {Page.PostForm(http, $"/connections/add/{descriptor.Kind}", H($"""
                {Page.Input("name", "Name", values.GetValueOrDefault("name"), errors, help: "Letters, digits, '.', '_' or '-'; used on the command line.", required: true)}
                {Join(fields.Where(f => !f.Advanced), Render)}
                {When(fields.Any(f => f.Advanced), H($"<details><summary>Advanced</summary>{Join(fields.Where(f => f.Advanced), Render)}</details>"))}
                {When(testFailure is not null, Page.Input("saveAnyway", "Save even though the test failed", null, FormErrors.None, "checkbox"))}
                """), "Test and save")}
            """), status);
    }

    private static IResult ServersPage(HttpContext http, string key, PlexSignIn signIn, FormErrors errors, int status = StatusCodes.Status200OK) =>
        Page.Render(http, "Pick your Plex servers", H($"""
            <p>Signed in to Plex. Pick the servers Marquee should connect to.</p>
            {Page.PostForm(http, $"/connections/plex/{key}", H($"""
                <fieldset{When(errors.For("server") is not null, new Html(" aria-describedby=\"server-error\""))}><legend>Servers</legend>
                {Join(signIn.Servers!, s => H($"<div class=\"field\"><label><input type=\"checkbox\" name=\"server\" value=\"{s.MachineIdentifier}\"{When(s.Url is not null, new Html(" checked"))}> {s.Name}{(s.Url is null ? $" (no address answered: {string.Join("; ", s.Problems)})" : $" at {s.Url}")}{(s.Owned ? string.Empty : " (shared with you)")}</label></div>"))}
                {When(errors.For("server") is not null, H($"<p class=\"error\" id=\"server-error\" role=\"alert\">{errors.For("server")}</p>"))}
                </fieldset>
                """), "Add the servers")}
            """), status);

    private static IProviderDescriptor? Find(ProviderRegistry registry, string kind) => registry.TryGet(kind, out var descriptor) ? descriptor : null;

    private static string Slug(string name)
    {
        var slug = SlugPattern().Replace(name, "-").Trim('-', '.', '_');
        return slug.Length == 0 || slug.All(char.IsAsciiDigit) ? "plex-" + slug : slug.Length > 64 ? slug[..64] : slug;
    }

    [GeneratedRegex("[^A-Za-z0-9._-]+")]
    private static partial Regex SlugPattern();
}

/// <summary>Plex sign-ins under way: the PIN and, once approved, the account token and its servers. Kept here, never sent to the page.</summary>
public sealed class PlexSignIns(TimeProvider clock)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(30);

    private readonly ConcurrentDictionary<string, PlexSignIn> _signIns = new(StringComparer.Ordinal);

    public string Add(PlexLoginPin pin)
    {
        var now = clock.GetUtcNow();
        foreach (var old in _signIns.Where(s => now - s.Value.Started > Lifetime).ToList())
        {
            _signIns.TryRemove(old.Key, out _);
        }

        var key = Convert.ToHexString(RandomNumberGenerator.GetBytes(12)).ToLowerInvariant();
        _signIns[key] = new PlexSignIn(pin, now);
        return key;
    }

    public PlexSignIn? Find(string key) =>
        _signIns.TryGetValue(key, out var signIn) && clock.GetUtcNow() - signIn.Started <= Lifetime ? signIn : null;

    public void Remove(string key) => _signIns.TryRemove(key, out _);
}

public sealed class PlexSignIn(PlexLoginPin pin, DateTimeOffset started)
{
    public PlexLoginPin Pin { get; } = pin;

    public DateTimeOffset Started { get; } = started;

    public string? AccountToken { get; set; }

    public IReadOnlyList<PlexServerChoice>? Servers { get; set; }
}
