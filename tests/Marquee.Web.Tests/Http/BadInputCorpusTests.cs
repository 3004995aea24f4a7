using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Marquee.Core.Connections;
using Marquee.Core.Flows;
using Marquee.Core.Profiles;
using Marquee.Web.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Marquee.Web.Tests.Http;

/// <summary>
/// Issue 13, acceptance: every operation of the OpenAPI document, fed nulls in lists, wrong types, huge and negative
/// values, unknown ids and races of create, rename and delete, answers below 500 and leaves the store intact.
/// </summary>
public sealed class BadInputCorpusTests
{
    private static readonly string Long = new('x', 20_000);

    private static readonly string[] PathValues = ["a", "0", "-1", "99999999999999999999", "9223372036854775808", "null", "%20", Long[..3000], "ghost"];

    private static readonly string[] QueryValues = ["", "-1", "0", "abc", "99999999999999999999", "1e309", "NaN", "null", "[1]", Long[..3000]];

    private static readonly string[] Bodies =
    [
        "null", "[]", "[null]", "{}", "\"text\"", "12", "true", "{", "{\"a\":",
        """{"name":null,"kind":null,"settings":null}""",
        """{"name":42,"kind":["plex"],"settings":[null]}""",
        """{"name":"n1","kind":"plex","settings":{"url":null,"token":null}}""",
        """{"name":"n2","kind":"plex","settings":{"url":"http://[::1","token":[null]}}""",
        """{"name":"n3","kind":"plex","settings":{"url":"http://127.0.0.1:9","token":"t","maxConcurrency":99999999999}}""",
        """{"name":"n4","kind":"plex","settings":{"url":"http://127.0.0.1:9","token":"t","maxConcurrency":-1}}""",
        """{"name":"n5","kind":"jellyfin","settings":{"url":"http://127.0.0.1:9","apiKey":{"x":1}}}""",
        """{"name":"f1","from":"a","to":"b","features":[null]}""",
        """{"name":"f2","from":"a","to":"b","features":[1,true,{}]}""",
        """{"name":"f3","from":"a","to":"b","filters":{"libraries":[null],"profiles":[null],"ignoreGuidPrefixes":[null]}}""",
        """{"name":"f4","from":"a","to":"b","filters":null,"guards":null,"features":null}""",
        """{"name":"f5","from":"a","to":"b","guards":{"maxRemovals":99999999999,"maxRemovalPercent":1e308}}""",
        """{"name":"f6","from":"a","to":"b","guards":{"maxRemovals":-5,"maxRemovalPercent":-1}}""",
        """{"name":"f7","from":null,"to":[],"twoWay":"yes","enabled":"no","mode":7,"schedule":"* * * * * * * *"}""",
        """{"name":"f8","from":"99999999999999999999","to":"-1"}""",
        """{"connection":null,"account":null}""",
        "{\"connection\":\"a\",\"account\":\"" + Long + "\"}",
        """{"connection":"ghost","account":"x"}""",
        """{"displayName":null}""",
        """{"flows":[null]}""",
        """{"flows":[1,2],"since":5}""",
        """{"flows":["ghost"],"since":"99999999999999d"}""",
        """{"flows":["ab"],"since":"-1d","dryRun":"yes"}""",
        "{\"name\":\"" + Long + "\"}",
        "{\"name\":\"" + new string('y', 1_500_000) + "\"}",
        new string('[', 5000) + new string(']', 5000),
    ];

    private static readonly string?[] NoBody = [null];

    [Fact]
    public async Task Acceptance_EveryOperationOfTheOpenApiDocument_AnswersBadInputBelow500_AndTheStoreStaysIntact()
    {
        await using var app = await MarqueeApp.StartAsync(new Dictionary<string, string?>
        {
            ["Marquee:Plex:MaxRetries"] = "0",
            ["Marquee:Jellyfin:MaxRetries"] = "0",
            ["Marquee:Scheduler:Enabled"] = "false",
        });
        await SeedAsync(app);
        var document = await app.JsonAsync(await app.Client.GetAsync("/openapi/v1.json"));
        var failures = new List<string>();
        var operations = 0;

        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                operations++;
                var method = new HttpMethod(operation.Name.ToUpperInvariant());
                var parameters = operation.Value.TryGetProperty("parameters", out var list) ? list.EnumerateArray().ToList() : [];
                var hasBody = operation.Value.TryGetProperty("requestBody", out _) || method == HttpMethod.Post || method == HttpMethod.Put;
                foreach (var target in Targets(path.Name, parameters))
                {
                    foreach (var body in hasBody ? Bodies : NoBody)
                    {
                        await SendAsync(app, method, target, body, failures);
                    }
                }
            }
        }

        await RaceAsync(app, failures);

        Assert.True(operations >= 20, $"only {operations} operations in the OpenAPI document");
        Assert.True(failures.Count == 0, string.Join('\n', failures.Take(30)));
        await using var db = new SqliteConnection($"Data Source={Path.Combine(app.DataFolder, "marquee.db")}");
        await db.OpenAsync();
        await using var check = db.CreateCommand();
        check.CommandText = "PRAGMA integrity_check";
        Assert.Equal("ok", (string?)await check.ExecuteScalarAsync());
        check.CommandText = "PRAGMA foreign_key_check";
        await using var orphans = await check.ExecuteReaderAsync();
        Assert.False(await orphans.ReadAsync(), "rows point at removed parents");
    }

    /// <summary>Every combination of path values, then each query parameter given each bad value on its own.</summary>
    private static IEnumerable<string> Targets(string template, List<JsonElement> parameters)
    {
        var inPath = parameters.Where(p => p.GetProperty("in").GetString() == "path").Select(p => p.GetProperty("name").GetString()!).ToList();
        var paths = new List<string> { template };
        foreach (var name in inPath)
        {
            paths = paths.SelectMany(p => PathValues.Select(v => p.Replace("{" + name + "}", Uri.EscapeDataString(v), StringComparison.Ordinal))).ToList();
        }

        // Keep the product of several path parameters bounded: the first value of each, then every value of each alone.
        foreach (var path in inPath.Count > 1 ? paths.Take(PathValues.Length * 2) : paths)
        {
            yield return path;
        }

        foreach (var query in parameters.Where(p => p.GetProperty("in").GetString() == "query").Select(p => p.GetProperty("name").GetString()!))
        {
            var basePath = inPath.Aggregate(template, (p, name) => p.Replace("{" + name + "}", "a", StringComparison.Ordinal));
            foreach (var value in QueryValues)
            {
                yield return $"{basePath}?{query}={Uri.EscapeDataString(value)}";
            }
        }
    }

    private static async Task SendAsync(MarqueeApp app, HttpMethod method, string target, string? body, List<string> failures)
    {
        using var request = new HttpRequestMessage(method, target);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        try
        {
            using var response = await app.Client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();

            // The corpus's connections point at no server: an operation that reads a media server (the live sessions)
            // answers 502 naming that server, which is the server's failure, not one of Marquee's with bad input.
            if ((int)response.StatusCode >= 500 && !(response.StatusCode == System.Net.HttpStatusCode.BadGateway && text.Contains("The media server refused or failed.", StringComparison.Ordinal)))
            {
                failures.Add($"{method} {Shorten(target)} {Shorten(body)} -> {(int)response.StatusCode} {Shorten(text)}");
            }
        }
        catch (HttpRequestException ex)
        {
            // A server that answers before reading a large body (404, 413) closes the connection while the client still
            // sends; that is an answer, not a failure, as long as the server still answers afterwards.
            using var health = await app.Client.GetAsync("/healthz");
            if (health.StatusCode != System.Net.HttpStatusCode.OK)
            {
                failures.Add($"{method} {Shorten(target)} {Shorten(body)} -> no answer ({ex.Message}) and the server is down");
            }
        }
    }

    /// <summary>Concurrent creates, renames and deletes of connections, profiles and flows over the same few names.</summary>
    private static async Task RaceAsync(MarqueeApp app, List<string> failures)
    {
        var found = new System.Collections.Concurrent.ConcurrentBag<string>();
        var workers = Enumerable.Range(0, 6).Select(worker => Task.Run(async () =>
        {
            var random = new Random(worker);
            for (var i = 0; i < 60; i++)
            {
                var n = random.Next(3);
                var (method, target, body) = random.Next(9) switch
                {
                    0 => (HttpMethod.Post, "/api/connections", $$$"""{"name":"c{{{n}}}","kind":"plex","settings":{"url":"http://127.0.0.1:9","token":"t"}}"""),
                    1 => (HttpMethod.Put, $"/api/connections/c{random.Next(3)}", $$"""{"name":"c{{n}}"}"""),
                    2 => (HttpMethod.Delete, $"/api/connections/c{n}", null),
                    3 => (HttpMethod.Post, "/api/profiles", $$"""{"name":"p{{n}}"}"""),
                    4 => (HttpMethod.Put, $"/api/profiles/p{random.Next(3)}", $$"""{"name":"p{{n}}"}"""),
                    5 => (HttpMethod.Delete, $"/api/profiles/p{n}", null),
                    6 => (HttpMethod.Post, "/api/flows", $$"""{"name":"r{{n}}","from":"c{{random.Next(3)}}","to":"c{{(n + 1) % 3}}"}"""),
                    7 => (HttpMethod.Put, $"/api/flows/r{random.Next(3)}", $$"""{"name":"r{{n}}","to":"c{{random.Next(3)}}"}"""),
                    _ => (HttpMethod.Delete, $"/api/flows/r{n}", (string?)null),
                };
                var local = new List<string>();
                await SendAsync(app, method, target, body, local);
                foreach (var failure in local)
                {
                    found.Add(failure);
                }
            }
        }));
        await Task.WhenAll(workers);
        failures.AddRange(found);
    }

    private static async Task SeedAsync(MarqueeApp app)
    {
        using var scope = app.Services.CreateScope();
        var connections = scope.ServiceProvider.GetRequiredService<ConnectionService>();
        await connections.CreateAsync("a", "plex", new JsonObject { ["url"] = "http://127.0.0.1:9", ["token"] = "t" }, CancellationToken.None);
        await connections.CreateAsync("b", "jellyfin", new JsonObject { ["url"] = "http://127.0.0.1:9", ["apiKey"] = "k" }, CancellationToken.None);
        await scope.ServiceProvider.GetRequiredService<ProfileService>().CreateAsync("anna", null, CancellationToken.None);
        await scope.ServiceProvider.GetRequiredService<FlowService>().CreateAsync(new FlowInput { Name = "ab", From = "a", To = "b", Features = ["watched"] }, CancellationToken.None);
    }

    private static string Shorten(string? text) => text is null ? string.Empty : text.Length > 160 ? text[..160] + "…" : text;
}
