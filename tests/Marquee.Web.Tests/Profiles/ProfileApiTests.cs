using System.Net;
using Marquee.Simulators.Plex;
using Marquee.Web.Tests.Infrastructure;

namespace Marquee.Web.Tests.Profiles;

public sealed class ProfileApiTests
{
    [Fact]
    public async Task Crud_CreateReadUpdateDelete_Works()
    {
        await using var app = await MarqueeApp.StartAsync();

        var created = await app.PostJsonAsync("/api/profiles", new { name = "anna", displayName = "Anna" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await app.JsonAsync(created)).GetProperty("id").GetInt64();

        var updated = await app.JsonAsync(await app.PutRawAsync($"/api/profiles/{id}", """{"displayName":"Anna B."}"""));
        Assert.Equal("anna", updated.GetProperty("name").GetString());
        Assert.Equal("Anna B.", updated.GetProperty("displayName").GetString());

        var list = await app.JsonAsync(await app.Client.GetAsync("/api/profiles"));
        Assert.Equal("Anna B.", list[0].GetProperty("displayName").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await app.Client.DeleteAsync("/api/profiles/anna")).StatusCode);
        await app.AssertProblemAsync(await app.Client.GetAsync($"/api/profiles/{id}"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task LinkAndUnlink_Account_ShowsOnProfile()
    {
        await using var sim = await StartPlexAsync();
        await using var app = await MarqueeApp.StartAsync(PlexTv(sim));
        await app.CreatePlexAsync("home", sim.Owner.AccountToken, sim.BaseUri.ToString());
        await app.PostJsonAsync("/api/profiles", new { name = "anna" });
        var friend = sim.Accounts.First(a => a.Kind == SimAccountKind.Friend);

        var linked = await app.PostJsonAsync("/api/profiles/anna/accounts", new { connection = "home", account = friend.Name });
        Assert.Equal(HttpStatusCode.OK, linked.StatusCode);
        var profile = await app.JsonAsync(await app.Client.GetAsync("/api/profiles/anna"));
        var account = Assert.Single(profile.GetProperty("accounts").EnumerateArray());
        Assert.Equal("home", account.GetProperty("connectionName").GetString());
        Assert.Equal("manual", account.GetProperty("origin").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await app.Client.DeleteAsync($"/api/profiles/anna/accounts/home/{Uri.EscapeDataString(friend.Name)}")).StatusCode);
        profile = await app.JsonAsync(await app.Client.GetAsync("/api/profiles/anna"));
        Assert.Equal(0, profile.GetProperty("accounts").GetArrayLength());
    }

    [Fact]
    public async Task Link_SameAccountToSecondProfile_MovesIt()
    {
        await using var sim = await StartPlexAsync();
        await using var app = await MarqueeApp.StartAsync(PlexTv(sim));
        await app.CreatePlexAsync("home", sim.Owner.AccountToken, sim.BaseUri.ToString());
        await app.PostJsonAsync("/api/profiles", new { name = "anna" });
        await app.PostJsonAsync("/api/profiles", new { name = "bob" });
        var shared = sim.Accounts.First(a => a.Kind == SimAccountKind.Home).Name;

        await app.PostJsonAsync("/api/profiles/anna/accounts", new { connection = "home", account = shared });
        await app.PostJsonAsync("/api/profiles/bob/accounts", new { connection = "home", account = shared });

        Assert.Equal(0, (await app.JsonAsync(await app.Client.GetAsync("/api/profiles/anna"))).GetProperty("accounts").GetArrayLength());
        Assert.Equal(1, (await app.JsonAsync(await app.Client.GetAsync("/api/profiles/bob"))).GetProperty("accounts").GetArrayLength());
    }

    /// <summary>An account typed before the connection's accounts were listed is found by listing them, never kept as a placeholder.</summary>
    [Fact]
    public async Task Link_AFriendByName_BeforeTheAccountsWereListed_ResolvesTheRealAccount()
    {
        await using var sim = await StartPlexAsync();
        await using var app = await MarqueeApp.StartAsync(PlexTv(sim));
        await app.CreatePlexAsync("home", sim.Owner.AccountToken, sim.BaseUri.ToString());
        await app.PostJsonAsync("/api/profiles", new { name = "robert" });
        var friend = sim.Accounts.First(a => a.Kind == SimAccountKind.Friend);

        var linked = await app.JsonAsync(await app.PostJsonAsync("/api/profiles/robert/accounts", new { connection = "home", account = friend.Name.ToUpperInvariant() }));

        Assert.Equal("friend", linked.GetProperty("accountKind").GetString());
        Assert.Equal(friend.PlexTvId.ToString(System.Globalization.CultureInfo.InvariantCulture), linked.GetProperty("externalId").GetString());
        Assert.Equal(friend.Name, linked.GetProperty("accountName").GetString());
    }

    [Fact]
    public async Task Link_AnAccountTheConnectionDoesNotHave_Is400_NamingTheAccountsItHas_AndLinksNothing()
    {
        await using var sim = await StartPlexAsync();
        await using var app = await MarqueeApp.StartAsync(PlexTv(sim));
        await app.CreatePlexAsync("home", sim.Owner.AccountToken, sim.BaseUri.ToString());
        await app.PostJsonAsync("/api/profiles", new { name = "robert" });

        var problem = await app.AssertFieldErrorAsync(await app.PostJsonAsync("/api/profiles/robert/accounts", new { connection = "home", account = "bobby" }), "account");

        Assert.Contains("no account 'bobby'", problem, StringComparison.Ordinal);
        Assert.Contains(sim.Owner.Name, problem, StringComparison.Ordinal);
        Assert.Equal(0, (await app.JsonAsync(await app.Client.GetAsync("/api/profiles/robert"))).GetProperty("accounts").GetArrayLength());
    }

    [Fact]
    public async Task Link_WhenTheAccountsCannotBeListed_Is400_SayingWhy_AndLinksNothing()
    {
        await using var app = await MarqueeApp.StartAsync();
        Assert.Equal(HttpStatusCode.Created, (await app.PostJsonAsync("/api/connections", new { name = "jf", kind = "jellyfin", settings = new { url = "http://127.0.0.1:9", apiKey = "0123456789abcdef0123456789abcdef" } })).StatusCode);
        await app.PostJsonAsync("/api/profiles", new { name = "robert" });

        var problem = await app.AssertFieldErrorAsync(await app.PostJsonAsync("/api/profiles/robert/accounts", new { connection = "jf", account = "bobby" }), "account");

        Assert.Contains("could not be listed now", problem, StringComparison.Ordinal);
        Assert.Equal(0, (await app.JsonAsync(await app.Client.GetAsync("/api/profiles/robert"))).GetProperty("accounts").GetArrayLength());
    }

    [Fact]
    public async Task Link_WhenPlexTvCannotBeReached_IsRefused_AndLinksNothing()
    {
        await using var app = await MarqueeApp.StartAsync();
        await app.CreatePlexAsync("home");
        await app.PostJsonAsync("/api/profiles", new { name = "robert" });

        var problem = await app.AssertFieldErrorAsync(await app.PostJsonAsync("/api/profiles/robert/accounts", new { connection = "home", account = "bobby" }), "account");

        Assert.Contains("'bobby'", problem, StringComparison.Ordinal);
        Assert.Equal(0, (await app.JsonAsync(await app.Client.GetAsync("/api/profiles/robert"))).GetProperty("accounts").GetArrayLength());
    }

    [Theory]
    [InlineData("""{}""", "name")]
    [InlineData("""{"name":""}""", "name")]
    [InlineData("""{"name":"has space"}""", "name")]
    [InlineData("""{"name":["anna"]}""", "name")]
    [InlineData("""{"name":"anna","displayName":5}""", "displayName")]
    [InlineData("""{"name":"anna","age":5}""", "age")]
    [InlineData("""not json""", "body")]
    public async Task Create_BadInput_Returns400NamingTheField(string body, string field)
    {
        await using var app = await MarqueeApp.StartAsync();

        await app.AssertFieldErrorAsync(await app.PostRawAsync("/api/profiles", body), field);

        Assert.Equal(0, (await app.JsonAsync(await app.Client.GetAsync("/api/profiles"))).GetArrayLength());
    }

    [Theory]
    [InlineData("""{"account":"Anna"}""", "connection")]
    [InlineData("""{"connection":"home"}""", "account")]
    [InlineData("""{"connection":"home","account":7}""", "account")]
    public async Task Link_BadInput_Returns400NamingTheField(string body, string field)
    {
        await using var app = await MarqueeApp.StartAsync();
        await app.CreatePlexAsync("home");
        await app.PostJsonAsync("/api/profiles", new { name = "anna" });

        await app.AssertFieldErrorAsync(await app.PostRawAsync("/api/profiles/anna/accounts", body), field);
    }

    [Fact]
    public async Task Link_UnknownConnection_Returns404()
    {
        await using var app = await MarqueeApp.StartAsync();
        await app.PostJsonAsync("/api/profiles", new { name = "anna" });

        var problem = await app.AssertProblemAsync(await app.PostJsonAsync("/api/profiles/anna/accounts", new { connection = "nowhere", account = "x" }), HttpStatusCode.NotFound);

        Assert.Contains("nowhere", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET", "/api/profiles/99")]
    [InlineData("PUT", "/api/profiles/ghost")]
    [InlineData("DELETE", "/api/profiles/99")]
    [InlineData("POST", "/api/profiles/ghost/accounts")]
    [InlineData("DELETE", "/api/profiles/ghost/accounts/home/x")]
    public async Task UnknownId_Returns404(string method, string path)
    {
        await using var app = await MarqueeApp.StartAsync();
        await app.CreatePlexAsync("home");
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is "PUT" or "POST")
        {
            var body = method == "PUT" ? """{"name":"x"}""" : """{"connection":"home","account":"x"}""";
            request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        }

        var problem = await app.AssertProblemAsync(await app.Client.SendAsync(request), HttpStatusCode.NotFound);

        Assert.Contains(path.Split('/')[3], problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rename_ToTakenName_Returns409()
    {
        await using var app = await MarqueeApp.StartAsync();
        await app.PostJsonAsync("/api/profiles", new { name = "anna" });
        await app.PostJsonAsync("/api/profiles", new { name = "bob" });

        await app.AssertProblemAsync(await app.PutRawAsync("/api/profiles/bob", """{"name":"Anna"}"""), HttpStatusCode.Conflict);
    }

    private static Task<PlexSimulator> StartPlexAsync() =>
        PlexSimulator.StartAsync(new PlexSimulatorOptions { Seed = 11, Movies = 5, Shows = 1, HomeUsers = 1, Friends = 1 }, CancellationToken.None);

    private static Dictionary<string, string?> PlexTv(PlexSimulator sim) => new() { ["Marquee:Plex:PlexTvUrl"] = sim.PlexTvUri.ToString() };
}
