using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Marquee.Simulators.Tests.Plex;

/// <summary>A webhook endpoint on loopback that records what Plex posts to it.</summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WebhookReceiver(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    public Uri Url { get; }

    public ConcurrentQueue<Received> Posts { get; } = new();

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        WebhookReceiver? receiver = null;
        app.MapPost("/hook", async (HttpContext ctx) =>
        {
            var form = await ctx.Request.ReadFormAsync();
            var thumb = form.Files.GetFile("thumb");
            receiver!.Posts.Enqueue(new Received(
                ctx.Request.ContentType ?? string.Empty,
                ctx.Request.Headers.UserAgent.ToString(),
                form["payload"].ToString(),
                thumb is not null,
                thumb?.ContentType));
            return Results.Ok();
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver = new WebhookReceiver(app, new Uri(address + "/hook"));
        return receiver;
    }

    public IReadOnlyList<System.Text.Json.JsonElement> Payloads(string? eventName = null) =>
        [.. Posts.Select(p => System.Text.Json.JsonDocument.Parse(p.Payload).RootElement.Clone())
            .Where(p => eventName is null || p.GetProperty("event").GetString() == eventName)];

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    internal sealed record Received(string ContentType, string UserAgent, string Payload, bool HasThumb, string? ThumbType);
}
