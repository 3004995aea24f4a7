using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Marquee.Simulators.Ntfy;

namespace Marquee.Simulators.Tests.Notify;

public sealed class NtfySimulatorTests
{
    [Fact]
    public async Task JsonPublish_ContractExample_IsStoredAndAnswered()
    {
        await using var sim = await NtfySimulator.StartAsync(new NtfySimulatorOptions(), CancellationToken.None);
        using var client = new HttpClient();
        var example = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Notify", "TestData", "ntfy-publish.request.json"));

        using var response = await client.PostAsync(sim.BaseUri, new StringContent(example, Encoding.UTF8, "application/json"));
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        var listed = await client.GetFromJsonAsync<JsonElement>(new Uri(sim.BaseUri, "/_sim/messages?topic=plex-admin"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("message", answer.GetProperty("event").GetString());
        Assert.Equal("plex-admin", answer.GetProperty("topic").GetString());
        Assert.Equal("Watched: Arrival (2016)", answer.GetProperty("title").GetString());
        Assert.Equal(3, answer.GetProperty("priority").GetInt32());
        Assert.Equal("text/markdown", answer.GetProperty("content_type").GetString());
        var stored = Assert.Single(listed.EnumerateArray());
        Assert.Equal(["popcorn", "white_check_mark"], stored.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.StartsWith("https://app.plex.tv/", stored.GetProperty("click").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BodyAndHeaderPublish_ToATopic_IsStored()
    {
        await using var sim = await NtfySimulator.StartAsync(new NtfySimulatorOptions(), CancellationToken.None);
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(sim.BaseUri, "/alerts")) { Content = new StringContent("disk full") };
        request.Headers.Add("Title", "Server");
        request.Headers.Add("Priority", "high");
        request.Headers.Add("Tags", "warning, skull");

        using var response = await client.SendAsync(request);
        var stored = Assert.Single(sim.State.Messages);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(("alerts", "Server", "disk full", 4), (stored.Topic, stored.Title, stored.Message, stored.Priority));
        Assert.Equal(["warning", "skull"], stored.Tags!);
    }

    [Theory]
    [InlineData("{\"message\":\"no topic\"}", 40009)]
    [InlineData("{\"topic\":\"bad topic!\",\"message\":\"x\"}", 40009)]
    [InlineData("{\"topic\":\"t\",\"priority\":9}", 40007)]
    [InlineData("{\"topic\":", 40017)]
    public async Task MalformedJsonPublish_Is400WithNtfysErrorCode(string body, int code)
    {
        await using var sim = await NtfySimulator.StartAsync(new NtfySimulatorOptions(), CancellationToken.None);
        using var client = new HttpClient();

        using var response = await client.PostAsync(sim.BaseUri, new StringContent(body, Encoding.UTF8, "application/json"));
        var error = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(code, error.GetProperty("code").GetInt32());
        Assert.Empty(sim.State.Messages);
    }

    [Fact]
    public async Task ProtectedServer_RefusesAnonymousAndWrongCredentials_AcceptsBearerAndBasic()
    {
        var options = new NtfySimulatorOptions { Tokens = ["tk_good"], Users = new Dictionary<string, string> { ["phil"] = "secret" } };
        await using var sim = await NtfySimulator.StartAsync(options, CancellationToken.None);

        var anonymous = await PublishAsync(sim, null);
        var wrongToken = await PublishAsync(sim, new AuthenticationHeaderValue("Bearer", "tk_bad"));
        var wrongPassword = await PublishAsync(sim, new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("phil:nope"))));
        var bearer = await PublishAsync(sim, new AuthenticationHeaderValue("Bearer", "tk_good"));
        var basic = await PublishAsync(sim, new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("phil:secret"))));

        Assert.Equal(HttpStatusCode.Forbidden, anonymous);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongToken);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongPassword);
        Assert.Equal(HttpStatusCode.OK, bearer);
        Assert.Equal(HttpStatusCode.OK, basic);
        Assert.Equal(2, sim.State.Messages.Count);
    }

    [Fact]
    public async Task ControlApi_SetsAuthAndClearsMessages()
    {
        await using var sim = await NtfySimulator.StartAsync(new NtfySimulatorOptions(), CancellationToken.None);
        using var client = new HttpClient();

        var open = await PublishAsync(sim, null);
        using var auth = await client.PutAsJsonAsync(new Uri(sim.BaseUri, "/_sim/auth"), new { tokens = new[] { "tk_x" } });
        var closed = await PublishAsync(sim, null);
        using var cleared = await client.DeleteAsync(new Uri(sim.BaseUri, "/_sim/messages"));

        Assert.Equal(HttpStatusCode.OK, open);
        Assert.Equal(HttpStatusCode.OK, auth.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, closed);
        Assert.Empty(sim.State.Messages);
    }

    private static async Task<HttpStatusCode> PublishAsync(NtfySimulator sim, AuthenticationHeaderValue? auth)
    {
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, sim.BaseUri) { Content = JsonContent.Create(new { topic = "t", message = "m" }) };
        request.Headers.Authorization = auth;
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }
}
