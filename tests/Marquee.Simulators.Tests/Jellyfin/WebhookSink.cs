using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Marquee.Simulators.Tests.Jellyfin;

/// <summary>A loopback endpoint that keeps every JSON body posted to it.</summary>
internal sealed class WebhookSink : IDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<string> _bodies;

    private WebhookSink(WebApplication app, ConcurrentQueue<string> bodies, Uri url)
    {
        _app = app;
        _bodies = bodies;
        Url = url;
    }

    public Uri Url { get; }

    public IReadOnlyList<string> Bodies => [.. _bodies];

    public static async Task<WebhookSink> StartAsync()
    {
        var bodies = new ConcurrentQueue<string>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.MapPost("/hook", async (HttpContext ctx) =>
        {
            using var reader = new StreamReader(ctx.Request.Body);
            bodies.Enqueue(await reader.ReadToEndAsync(ctx.RequestAborted));
            return Results.Ok();
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new WebhookSink(app, bodies, new Uri(address.TrimEnd('/') + "/hook"));
    }

    public void Dispose()
    {
        _app.StopAsync().GetAwaiter().GetResult();
        ((IDisposable)_app).Dispose();
    }
}
