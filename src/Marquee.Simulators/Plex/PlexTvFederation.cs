using System.Net;
using System.Text.Json.Nodes;
using Marquee.Simulators.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Marquee.Simulators.Plex;

/// <summary>
/// One plex.tv in front of several simulators started with the same seed (so the same accounts and tokens), as
/// the real plex.tv is one service for every server an account can reach: <c>/api/v2/resources</c> lists the
/// servers of all of them and <c>/api/servers/{machineId}/shared_servers</c> goes to the server it names. Every
/// other request goes to the first simulator's plex.tv.
/// </summary>
public sealed class PlexTvFederation : IAsyncDisposable
{
    private readonly WebApplication _app;

    private PlexTvFederation(WebApplication app, Uri uri)
    {
        _app = app;
        Uri = uri;
    }

    public Uri Uri { get; }

    public static async Task<PlexTvFederation> StartAsync(IReadOnlyList<PlexSimulator> simulators, CancellationToken ct)
    {
        var builder = SimWebHost.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddHttpClient();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.Run(async context =>
        {
            var http = context.RequestServices.GetRequiredService<IHttpClientFactory>().CreateClient();
            var path = context.Request.Path.Value ?? "/";
            if (context.Request.Method == HttpMethods.Get && path == "/api/v2/resources")
            {
                var all = new JsonArray();
                foreach (var sim in simulators)
                {
                    using var forward = Forward(context, sim.PlexTvUri);
                    forward.Headers.Remove("Accept");
                    forward.Headers.TryAddWithoutValidation("Accept", "application/json");
                    using var answer = await http.SendAsync(forward, context.RequestAborted);
                    if (!answer.IsSuccessStatusCode)
                    {
                        await CopyAsync(answer, context);
                        return;
                    }

                    foreach (var node in JsonNode.Parse(await answer.Content.ReadAsStringAsync(context.RequestAborted))?.AsArray() ?? [])
                    {
                        all.Add(node?.DeepClone());
                    }
                }

                // One answer for all servers, in the form the client asked for (PLEX-API.md 1.1).
                if (PlexWriter.WantsJson(context.Request))
                {
                    context.Response.ContentType = "application/json";
                    await context.Response.WriteAsync(all.ToJsonString(), context.RequestAborted);
                    return;
                }

                var xml = PlexTvXml.TryConvert(System.Text.Encoding.UTF8.GetBytes(all.ToJsonString()), path)!;
                context.Response.ContentType = "application/xml; charset=utf-8";
                await context.Response.Body.WriteAsync(xml, context.RequestAborted);
                return;
            }

            var target = simulators[0];
            if (path.StartsWith("/api/servers/", StringComparison.Ordinal))
            {
                var machineId = path.Split('/')[3];
                target = simulators.FirstOrDefault(s => s.MachineIdentifier.Equals(machineId, StringComparison.OrdinalIgnoreCase)) ?? target;
            }

            using var response = await http.SendAsync(Forward(context, target.PlexTvUri), context.RequestAborted);
            await CopyAsync(response, context);
        });
        await app.StartAsync(ct);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new PlexTvFederation(app, new Uri(address.EndsWith('/') ? address : address + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }

    private static HttpRequestMessage Forward(HttpContext context, Uri baseUri)
    {
        var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), new Uri(baseUri, context.Request.Path.Value!.TrimStart('/') + context.Request.QueryString));
        foreach (var header in context.Request.Headers.Where(h => h.Key.StartsWith("X-Plex-", StringComparison.OrdinalIgnoreCase) || h.Key.Equals("Accept", StringComparison.OrdinalIgnoreCase)))
        {
            request.Headers.TryAddWithoutValidation(header.Key, header.Value.ToArray());
        }

        if (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            request.Content = new StreamContent(context.Request.Body);
            if (context.Request.ContentType is { } type)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", type);
            }
        }

        return request;
    }

    private static async Task CopyAsync(HttpResponseMessage response, HttpContext context)
    {
        context.Response.StatusCode = (int)response.StatusCode;
        if (response.Content.Headers.ContentType is { } type)
        {
            context.Response.ContentType = type.ToString();
        }

        await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
    }
}
