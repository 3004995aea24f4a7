using System.Net;
using System.Text.Json.Nodes;

namespace Marquee.Simulators.Tests.Trakt;

public sealed class TraktOAuthTests
{
    [Fact]
    public async Task DeviceFlow_PendingUntilApproved_ThenTokens_ThenConflict()
    {
        await using var host = await TraktSimHost.StartAsync();
        using var client = new HttpClient { BaseAddress = host.Sim.BaseUri };
        var codes = await TraktSimHost.ReadAsync(await client.PostAsync("oauth/device/code", TraktSimHost.Json(new { client_id = host.Sim.ClientId })));
        var deviceCode = codes["device_code"]!.GetValue<string>();
        var userCode = codes["user_code"]!.GetValue<string>();
        object poll = new { code = deviceCode, client_id = host.Sim.ClientId, client_secret = host.Sim.ClientSecret };

        using var pending = await client.PostAsync("oauth/device/token", TraktSimHost.Json(poll));
        host.Control.Approve(userCode, "anna");
        using var approved = await client.PostAsync("oauth/device/token", TraktSimHost.Json(poll));
        var token = await TraktSimHost.ReadAsync(approved);
        using var again = await client.PostAsync("oauth/device/token", TraktSimHost.Json(poll));

        Assert.Equal(8, userCode.Length);
        Assert.Equal("https://trakt.tv/activate", codes["verification_url"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, pending.StatusCode);
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        Assert.Equal(604800, token["expires_in"]!.GetValue<int>());
        Assert.Equal(TraktSimHost.Start.ToUnixTimeSeconds(), token["created_at"]!.GetValue<long>());
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("anna", host.Sim.State.Authenticate(token["access_token"]!.GetValue<string>())!.Name);
    }

    [Theory]
    [InlineData("unknown", 404)]
    [InlineData("denied", 418)]
    [InlineData("expired", 410)]
    [InlineData("too-fast", 429)]
    public async Task DeviceFlow_ErrorStatuses(string situation, int expected)
    {
        await using var host = await TraktSimHost.StartAsync(o => o with { PollIntervalSeconds = situation == "too-fast" ? 60 : 0 });
        using var client = new HttpClient { BaseAddress = host.Sim.BaseUri };
        var codes = await TraktSimHost.ReadAsync(await client.PostAsync("oauth/device/code", TraktSimHost.Json(new { client_id = host.Sim.ClientId })));
        var deviceCode = situation == "unknown" ? "nope" : codes["device_code"]!.GetValue<string>();
        switch (situation)
        {
            case "denied":
                host.Control.Deny(codes["user_code"]!.GetValue<string>());
                break;
            case "expired":
                host.Control.AdvanceClock(TimeSpan.FromSeconds(601));
                break;
            case "too-fast":
                (await client.PostAsync("oauth/device/token", TraktSimHost.Json(new { code = deviceCode, client_id = host.Sim.ClientId, client_secret = host.Sim.ClientSecret }))).Dispose();
                break;
        }

        using var response = await client.PostAsync("oauth/device/token", TraktSimHost.Json(new { code = deviceCode, client_id = host.Sim.ClientId, client_secret = host.Sim.ClientSecret }));

        Assert.Equal(expected, (int)response.StatusCode);
    }

    [Fact]
    public async Task DeviceFlow_AutoApprove_GivesTokensAtTheSecondPoll()
    {
        await using var host = await TraktSimHost.StartAsync(o => o with { AutoApprove = "ben" });
        using var client = new HttpClient { BaseAddress = host.Sim.BaseUri };
        var codes = await TraktSimHost.ReadAsync(await client.PostAsync("oauth/device/code", TraktSimHost.Json(new { client_id = host.Sim.ClientId })));
        object poll = new { code = codes["device_code"]!.GetValue<string>(), client_id = host.Sim.ClientId, client_secret = host.Sim.ClientSecret };

        using var first = await client.PostAsync("oauth/device/token", TraktSimHost.Json(poll));
        using var second = await client.PostAsync("oauth/device/token", TraktSimHost.Json(poll));

        Assert.Equal(HttpStatusCode.BadRequest, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("ben", host.Sim.State.Authenticate((await TraktSimHost.ReadAsync(second))["access_token"]!.GetValue<string>())!.Name);
    }

    [Fact]
    public async Task RefreshToken_WorksOnce_AndTheOldOneIsInvalidGrant()
    {
        await using var host = await TraktSimHost.StartAsync();
        using var client = new HttpClient { BaseAddress = host.Sim.BaseUri };
        var first = host.Control.Issue("anna");
        object Refresh(string token) => new { refresh_token = token, client_id = host.Sim.ClientId, client_secret = host.Sim.ClientSecret, redirect_uri = "urn:ietf:wg:oauth:2.0:oob", grant_type = "refresh_token" };

        using var ok = await client.PostAsync("oauth/token", TraktSimHost.Json(Refresh(first.RefreshToken)));
        var second = await TraktSimHost.ReadAsync(ok);
        using var reused = await client.PostAsync("oauth/token", TraktSimHost.Json(Refresh(first.RefreshToken)));
        var error = await TraktSimHost.ReadAsync(reused);

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.NotEqual(first.RefreshToken, second["refresh_token"]!.GetValue<string>());
        Assert.Null(host.Sim.State.Authenticate(first.AccessToken));
        Assert.Equal(HttpStatusCode.Unauthorized, reused.StatusCode);
        Assert.Equal("invalid_grant", error["error"]!.GetValue<string>());
        Assert.Contains("error=\"invalid_grant\"", reused.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AccessToken_ExpiresAtCreatedAtPlusExpiresIn()
    {
        await using var host = await TraktSimHost.StartAsync(o => o with { TokenLifetimeSeconds = 3600 });
        using var client = host.Client();

        using var before = await client.GetAsync("sync/last_activities");
        host.Control.AdvanceClock(TimeSpan.FromSeconds(3600));
        using var after = await client.GetAsync("sync/last_activities");

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Theory]
    [InlineData("no-key", 403)]
    [InlineData("version-1", 403)]
    [InlineData("no-token", 401)]
    [InlineData("bad-token", 401)]
    [InlineData("text-plain", 412)]
    public async Task RequiredHeaders(string situation, int expected)
    {
        await using var host = await TraktSimHost.StartAsync();
        using var client = host.Client(situation is "no-token" or "bad-token" ? null : "anna");
        if (situation == "no-key")
        {
            client.DefaultRequestHeaders.Remove("trakt-api-key");
        }

        if (situation == "version-1")
        {
            client.DefaultRequestHeaders.Remove("trakt-api-version");
            client.DefaultRequestHeaders.Add("trakt-api-version", "1");
        }

        if (situation == "bad-token")
        {
            client.DefaultRequestHeaders.Authorization = new("Bearer", "nope");
        }

        using var response = situation == "text-plain"
            ? await client.PostAsync("sync/history", new StringContent("{}", System.Text.Encoding.UTF8, "text/plain"))
            : await client.GetAsync("sync/history");

        Assert.Equal(expected, (int)response.StatusCode);
    }

    [Fact]
    public async Task Revoke_EndsTheToken()
    {
        await using var host = await TraktSimHost.StartAsync();
        using var client = host.Client();
        var token = client.DefaultRequestHeaders.Authorization!.Parameter!;

        using var revoke = await client.PostAsync("oauth/revoke", TraktSimHost.Json(new JsonObject { ["token"] = token, ["client_id"] = host.Sim.ClientId, ["client_secret"] = host.Sim.ClientSecret }.ToJsonString()));
        using var after = await client.GetAsync("sync/history");

        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }
}
