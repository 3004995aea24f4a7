using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Marquee.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Marquee.Web.Tests.Notifications;

/// <summary>Apprise channels: the real <c>apprise</c> command delivering to a local server through its <c>json://</c> service.</summary>
[Trait("Category", "Scenario")]
public sealed class AppriseTests(ITestOutputHelper output)
{
    [Fact]
    public async Task AnAppriseChannel_DeliversThroughTheAppriseCommand_ToALocalJsonTarget()
    {
        if (FindApprise() is null)
        {
            return;
        }

        var received = new ConcurrentQueue<(string Path, string? Auth, JsonElement Body)>();
        await using var target = await StartTargetAsync(received);
        var port = new Uri(target.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
        await using var app = await MarqueeApp.StartAsync(NotifyKit.Settings());
        var id = await NotifyKit.CreateChannelAsync(app, new { name = "apprise", kind = "apprise", url = $"json://marquee:s3cret@127.0.0.1:{port}/hook", triggers = new[] { "play" } });

        // The listing shows the scheme only (an Apprise URL's host part is often a token).
        var channel = await NotifyKit.ChannelAsync(app, id);
        Assert.Equal("json://…", channel.GetProperty("url").GetString());

        // Act
        using var sent = await app.PostJsonAsync("/api/notifications/apprise/test?trigger=play", new { });
        Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
        await NotifyKit.WaitForAsync(() => !received.IsEmpty, "the message apprise posts", TimeSpan.FromSeconds(60));

        // Assert: Apprise's JSON service posted the rendered title and body, with the URL's credentials.
        var (path, auth, body) = Assert.Single(received);
        Assert.Equal("/hook", path);
        Assert.Equal("Basic " + Convert.ToBase64String("marquee:s3cret"u8.ToArray()), auth);
        Assert.Equal("alice started Severance · S02E03 · Who Is Alive?", body.GetProperty("title").GetString());
        Assert.Contains("Living Room TV", body.GetProperty("message").GetString(), StringComparison.Ordinal);
        await NotifyKit.WaitForAsync(async () => (await app.JsonAsync(await app.Client.GetAsync(new Uri("/api/outbox?status=delivered", UriKind.Relative)))).GetArrayLength() == 1, "the delivery recorded as delivered");
    }

    [Fact]
    public async Task WithoutApprise_TheDeliveryFails_SayingHowToInstallIt()
    {
        await using var app = await MarqueeApp.StartAsync(NotifyKit.Settings(("Marquee:Notifications:AppriseCommand", "/nonexistent/apprise")));
        await NotifyKit.CreateChannelAsync(app, new { name = "apprise", kind = "apprise", url = "tgram://123456:bottoken/4242", triggers = new[] { "play" } });

        using var sent = await app.PostJsonAsync("/api/notifications/apprise/test?trigger=play", new { });
        Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
        JsonElement failed = default;
        await NotifyKit.WaitForAsync(
            async () =>
            {
                failed = await app.JsonAsync(await app.Client.GetAsync(new Uri("/api/outbox?status=failed", UriKind.Relative)));
                return failed.GetArrayLength() == 1;
            },
            "the failed delivery");
        var reason = failed[0].GetProperty("lastError").GetString()!;
        Assert.Contains("is not installed", reason, StringComparison.Ordinal);
        Assert.Contains("apt-get install apprise", reason, StringComparison.Ordinal);
        Assert.DoesNotContain("bottoken", failed.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("tgram://token with spaces/1")]
    [InlineData("://nothing")]
    public async Task AnInvalidAppriseUrl_Is400NamingTheUrl(string url)
    {
        await using var app = await MarqueeApp.StartAsync();
        using var response = await app.PostJsonAsync("/api/notifications", new { name = "a", kind = "apprise", url });
        var problem = await app.JsonAsync(response);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(problem.GetProperty("errors").TryGetProperty("url", out _), problem.ToString());
    }

    private static async Task<WebApplication> StartTargetAsync(ConcurrentQueue<(string, string?, JsonElement)> received)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var target = builder.Build();
        target.MapPost("/{**path}", async (HttpRequest request) =>
        {
            var body = await JsonSerializer.DeserializeAsync<JsonElement>(request.Body);
            received.Enqueue((request.Path.Value!, request.Headers.Authorization.ToString(), body));
            return Results.Ok();
        });
        await target.StartAsync();
        return target;
    }

    /// <summary>The apprise command; null (after saying why) when it is not installed outside CI.</summary>
    private string? FindApprise()
    {
        var found = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "apprise")).FirstOrDefault(File.Exists);
        if (found is not null)
        {
            return found;
        }

        const string Message = "Apprise is not installed (apt-get install apprise)";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail(Message);
        }

        output.WriteLine(Message + "; skipped");
        return null;
    }
}
