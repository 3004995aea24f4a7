using System.Net;
using Marquee.Simulators.Trakt;
using Marquee.Web.Tests.Infrastructure;

namespace Marquee.Web.Tests.Connections;

/// <summary>The Trakt device login over the API against the Trakt simulator: start, pending, approved into a connection, and each refusal as a problem.</summary>
public sealed class TraktLoginApiTests : IAsyncLifetime
{
    private TraktSimulator _sim = null!;
    private MarqueeApp _app = null!;

    public async Task InitializeAsync()
    {
        _sim = await TraktSimulator.StartAsync(new TraktSimulatorOptions { Movies = 3, Shows = 1, PollIntervalSeconds = 0, PostLimit = 0, GetLimit = 0 }, CancellationToken.None);
        _app = await MarqueeApp.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _sim.DisposeAsync();
    }

    [Fact]
    public async Task Login_PendingThenApproved_CreatesTheConnectionWithTokensMasked_AndTheKeyIsThenGone()
    {
        var (key, code) = await StartAsync();

        var pending = await _app.Client.PostAsync($"/api/connections/trakt/login/{key}", null);
        _sim.Control.Approve(code, "anna");
        var approved = await _app.Client.PostAsync($"/api/connections/trakt/login/{key}", null);
        var again = await _app.Client.PostAsync($"/api/connections/trakt/login/{key}", null);

        Assert.Equal(HttpStatusCode.Accepted, pending.StatusCode);
        Assert.Equal("pending", (await _app.JsonAsync(pending)).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Created, approved.StatusCode);
        var created = await _app.JsonAsync(approved);
        Assert.Equal("trakt", created.GetProperty("kind").GetString());
        Assert.Equal("********", created.GetProperty("settings").GetProperty("accessToken").GetString());
        Assert.Equal("********", created.GetProperty("settings").GetProperty("refreshToken").GetString());
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        var test = await _app.JsonAsync(await _app.Client.PostAsync($"/api/connections/{created.GetProperty("id").GetInt64()}/test", null));
        Assert.True(test.GetProperty("ok").GetBoolean());
    }

    [Theory]
    [InlineData("deny", HttpStatusCode.Forbidden, "choose Yes")]
    [InlineData("expire", HttpStatusCode.Gone, "expired before it was approved")]
    public async Task Login_Refused_IsAProblemThatSaysWhatToDo(string how, HttpStatusCode status, string advice)
    {
        var (key, code) = await StartAsync();
        if (how == "deny")
        {
            _sim.Control.Deny(code);
        }
        else
        {
            _sim.Control.AdvanceClock(TimeSpan.FromMinutes(11));
        }

        var response = await _app.Client.PostAsync($"/api/connections/trakt/login/{key}", null);

        Assert.Equal(status, response.StatusCode);
        Assert.Contains(advice, (await _app.JsonAsync(response)).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"name":"tv","clientSecret":"s"}""", "clientId")]
    [InlineData("""{"name":"tv","clientId":"SIM_CLIENT_ID"}""", "clientSecret")]
    [InlineData("""{"name":"a b","clientId":"SIM_CLIENT_ID","clientSecret":"s"}""", "name")]
    [InlineData("""{"name":"tv","clientId":"SIM_CLIENT_ID","clientSecret":"s","url":"not a url"}""", "url")]
    [InlineData("""{"name":""", "name")]
    public async Task Start_BadInput_IsAValidationProblemNamingTheField(string body, string field)
    {
        var response = await _app.PostRawAsync("/api/connections/trakt/login", body.Replace("URL", _sim.BaseUri.ToString(), StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await _app.JsonAsync(response)).GetProperty("errors").TryGetProperty(field, out _), await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Poll_UnknownKey_Is404()
    {
        var response = await _app.Client.PostAsync("/api/connections/trakt/login/nope", null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private async Task<(string Key, string Code)> StartAsync()
    {
        var response = await _app.PostJsonAsync("/api/connections/trakt/login", new { name = "tv", clientId = _sim.ClientId, clientSecret = "SIM_CLIENT_SECRET", url = _sim.BaseUri.ToString() });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await _app.JsonAsync(response);
        return (body.GetProperty("login").GetString()!, body.GetProperty("userCode").GetString()!);
    }
}
