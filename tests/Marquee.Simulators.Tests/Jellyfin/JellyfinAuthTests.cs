using System.Net;
using Marquee.Simulators.Jellyfin;

namespace Marquee.Simulators.Tests.Jellyfin;

public sealed class JellyfinAuthTests
{
    [Fact]
    public async Task MediaBrowserHeader_WithApiKey_IsAccepted()
    {
        await using var host = await JellyfinSimHost.StartAsync();

        var (status, _) = await JellyfinSimHost.SendAsync(host.ApiKeyClient(), HttpMethod.Get, "/Users");

        Assert.Equal(200, status);
    }

    [Theory]
    [InlineData("X-Emby-Token")]
    [InlineData("X-MediaBrowser-Token")]
    [InlineData("X-Emby-Authorization")]
    [InlineData("api_key")]
    public async Task LegacyCredentials_AreRefusedByDefault_AndAcceptedWhenEnabled(string how)
    {
        await using var off = await JellyfinSimHost.StartAsync();
        await using var on = await JellyfinSimHost.StartAsync(options: new JellyfinSimulatorOptions { Movies = 5, Shows = 1, LegacyAuthorization = true });

        Assert.Equal(401, await LegacyStatusAsync(off, how));
        Assert.Equal(200, await LegacyStatusAsync(on, how));
    }

    [Theory]
    [InlineData("X-Emby-Token")]
    [InlineData("X-Emby-Authorization")]
    [InlineData("api_key")]
    public async Task Emby_AcceptsItsOwnHeaders(string how)
    {
        await using var emby = await JellyfinSimHost.StartAsync(JellyfinFlavor.Emby);

        Assert.Equal(200, await LegacyStatusAsync(emby, how));
    }

    [Fact]
    public async Task AuthenticateByName_WithoutMediaBrowserHeader_Is400()
    {
        await using var host = await JellyfinSimHost.StartAsync();

        var response = await JellyfinSimHost.PostJsonAsync(host.Bare(), "/Users/AuthenticateByName", "{\"Username\":\"admin\",\"Pw\":\"admin-pw\"}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task AuthenticateByName_WrongPassword_Is401_RightPassword_GivesAWorkingToken()
    {
        await using var host = await JellyfinSimHost.StartAsync();

        var wrong = await JellyfinSimHost.PostJsonAsync(host.Client(null), "/Users/AuthenticateByName", "{\"Username\":\"ada\",\"Pw\":\"nope\"}");
        var token = await host.LoginAsync("ada", "ada-pw");
        var me = await JellyfinSimHost.JsonAsync(host.Client(token), "/Users/Me");

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal("ada", me.GetProperty("Name").GetString());
        Assert.Equal(32, me.GetProperty("Id").GetString()!.Length);
    }

    [Fact]
    public async Task NonAdministrator_CannotListUsers_OrActForAnotherUser()
    {
        await using var host = await JellyfinSimHost.StartAsync();
        var token = await host.LoginAsync("ada", "ada-pw");
        var client = host.Client(token);
        var other = host.Sim.Users[2];

        var (users, _) = await JellyfinSimHost.SendAsync(client, HttpMethod.Get, "/Users");
        var (items, _) = await JellyfinSimHost.SendAsync(client, HttpMethod.Get, $"/Items?userId={other.Id}&Recursive=true");

        Assert.Equal(403, users);
        Assert.Equal(403, items);
    }

    [Fact]
    public async Task UnknownToken_Is401()
    {
        await using var host = await JellyfinSimHost.StartAsync();

        var (status, _) = await JellyfinSimHost.SendAsync(host.Client("nope"), HttpMethod.Get, "/Items");

        Assert.Equal(401, status);
    }

    private static async Task<int> LegacyStatusAsync(JellyfinSimHost host, string how)
    {
        var client = host.Bare();
        var path = "/Users";
        switch (how)
        {
            case "api_key":
                path += "?api_key=" + host.Sim.ApiKey;
                break;
            case "X-Emby-Authorization":
                client.DefaultRequestHeaders.TryAddWithoutValidation(how, JellyfinSimHost.AuthHeader(host.Sim.ApiKey));
                break;
            default:
                client.DefaultRequestHeaders.TryAddWithoutValidation(how, host.Sim.ApiKey);
                break;
        }

        return (await JellyfinSimHost.SendAsync(client, HttpMethod.Get, path)).Status;
    }
}
