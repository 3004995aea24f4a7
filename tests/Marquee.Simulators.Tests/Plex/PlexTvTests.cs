using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Xml.Linq;

namespace Marquee.Simulators.Tests.Plex;

/// <summary>PLEX-API.md 10 item 15 and section 2.</summary>
public sealed class PlexTvTests
{
    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    [Fact]
    public async Task Pin_CreatePollApprove_ReturnsTokenAfterApproval()
    {
        await using var host = await SimHost.StartAsync();
        var client = host.PlexTv(null);
        using var created = await client.PostAsync(new Uri("/api/v2/pins?strong=true", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var pin = await ReadAsync(created);
        Assert.Equal(25, pin.GetProperty("code").GetString()!.Length);
        var id = pin.GetProperty("id").GetInt32();

        var pending = await SimHost.JsonAsync(client, $"/api/v2/pins/{id}");
        Assert.Equal(JsonValueKind.Null, pending.GetProperty("authToken").ValueKind);

        using var approve = await client.PostAsJsonAsync(new Uri($"/_sim/pins/{id}/approve", UriKind.Relative), new { account = host.Home.Name });
        approve.EnsureSuccessStatusCode();
        var claimed = await SimHost.JsonAsync(client, $"/api/v2/pins/{id}");
        Assert.Equal(host.Home.AccountToken, claimed.GetProperty("authToken").GetString());
    }

    [Fact]
    public async Task Pin_Expired_Returns404Code1020()
    {
        await using var host = await SimHost.StartAsync();
        var client = host.PlexTv(null);
        using var created = await client.PostAsync(new Uri("/api/v2/pins", UriKind.Relative), null);
        var id = (await ReadAsync(created)).GetProperty("id").GetInt32();
        host.Control.AdvanceClock(TimeSpan.FromHours(1));
        using var poll = await client.GetAsync(new Uri($"/api/v2/pins/{id}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, poll.StatusCode);
        Assert.Equal(1020, (await ReadAsync(poll)).GetProperty("errors")[0].GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Pin_OtherClientIdentifier_Returns404()
    {
        await using var host = await SimHost.StartAsync();
        using var created = await host.PlexTv(null).PostAsync(new Uri("/api/v2/pins", UriKind.Relative), null);
        var id = (await ReadAsync(created)).GetProperty("id").GetInt32();
        var other = host.PlexTv(null);
        other.DefaultRequestHeaders.Remove("X-Plex-Client-Identifier");
        other.DefaultRequestHeaders.Add("X-Plex-Client-Identifier", "someone-else");
        using var poll = await other.GetAsync(new Uri($"/api/v2/pins/{id}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, poll.StatusCode);
    }

    [Fact]
    public async Task User_BadToken_Returns401Json1001()
    {
        await using var host = await SimHost.StartAsync();
        using var response = await host.PlexTv("bad").GetAsync(new Uri("/api/v2/user", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(1001, (await ReadAsync(response)).GetProperty("errors")[0].GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Resources_AccessTokenIsServerScopedAndWorksOnPms()
    {
        await using var host = await SimHost.StartAsync();
        foreach (var account in host.Sim.Accounts)
        {
            var resources = await SimHost.JsonAsync(host.PlexTv(account.AccountToken), "/api/v2/resources?includeHttps=1");
            var server = resources.EnumerateArray().Single(r => r.GetProperty("provides").GetString()!.Contains("server", StringComparison.Ordinal));
            var token = server.GetProperty("accessToken").GetString()!;
            Assert.NotEqual(account.AccountToken, token);
            Assert.Equal(host.Sim.MachineIdentifier, server.GetProperty("clientIdentifier").GetString());
            Assert.Equal(account.IsOwner, server.GetProperty("owned").GetBoolean());
            using var sections = await host.Pms(token).GetAsync(new Uri("/library/sections", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, sections.StatusCode);
        }
    }

    [Fact]
    public async Task HomeSwitch_ProtectedMemberNeedsPin()
    {
        await using var host = await SimHost.StartAsync();
        var owner = host.PlexTv(host.Owner.AccountToken);
        var users = await SimHost.JsonAsync(owner, "/api/v2/home/users");
        var protectedUser = users.GetProperty("users").EnumerateArray().First(u => u.GetProperty("protected").GetBoolean() && !u.GetProperty("admin").GetBoolean());
        var member = host.Sim.Accounts.Single(a => a.Uuid == protectedUser.GetProperty("uuid").GetString());

        using var noPin = await owner.PostAsync(new Uri($"/api/v2/home/users/{member.Uuid}/switch", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.Unauthorized, noPin.StatusCode);
        using var withPin = await owner.PostAsync(new Uri($"/api/v2/home/users/{member.Uuid}/switch?pin={member.Pin}", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.Created, withPin.StatusCode);
        Assert.Equal(member.AccountToken, (await ReadAsync(withPin)).GetProperty("authToken").GetString());
    }

    [Fact]
    public async Task HomeSwitch_Legacy_ReturnsXmlWithAuthenticationToken()
    {
        await using var host = await SimHost.StartAsync();
        using var response = await host.PlexTv(host.Owner.AccountToken, json: false).PostAsync(new Uri($"/api/home/users/{host.Home.PlexTvId}/switch", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var user = XDocument.Parse(await response.Content.ReadAsStringAsync()).Root!;
        Assert.Equal(host.Home.AccountToken, (string?)user.Attribute("authenticationToken"));
    }

    [Fact]
    public async Task SharedServers_GivesPerUserServerTokens()
    {
        await using var host = await SimHost.StartAsync();
        var xml = await SimHost.XmlAsync(host.PlexTv(host.Owner.AccountToken), $"/api/servers/{host.Sim.MachineIdentifier}/shared_servers");
        var friend = xml.Elements("SharedServer").Single(s => (string?)s.Attribute("userID") == host.Friend.PlexTvId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(host.Friend.ServerToken, (string?)friend.Attribute("accessToken"));
        Assert.NotEmpty(friend.Elements("Section"));
    }

    [Fact]
    public async Task UsersV1_FriendToken_Returns401()
    {
        await using var host = await SimHost.StartAsync();
        using var response = await host.PlexTv(host.Friend.AccountToken).GetAsync(new Uri("/api/users", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task UserWebhooks_PostReplacesList()
    {
        await using var host = await SimHost.StartAsync();
        var client = host.PlexTv(host.Friend.AccountToken);
        using var content = new FormUrlEncodedContent([new("urls[]", "http://127.0.0.1:9/a"), new("urls[]", "http://127.0.0.1:9/b")]);
        (await client.PostAsync(new Uri("/api/v2/user/webhooks", UriKind.Relative), content)).EnsureSuccessStatusCode();
        var list = await SimHost.JsonAsync(client, "/api/v2/user/webhooks");
        Assert.Equal(2, list.GetArrayLength());
        Assert.Equal(2, host.Sim.State.Webhooks(host.Friend).Count);
    }
}
