using Marquee.Core.Notifications;
using Marquee.Core.Validation;
using Marquee.Core.Webhooks;
using Marquee.Web.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Marquee.Web.Notifications;

/// <summary>A channel as the API shows it: the URL masked past the host, the secret and header values never shown.</summary>
public sealed record ChannelView(
    long Id, string Name, string Kind, string Url, bool HasSecret, IReadOnlyList<string> Headers, IReadOnlyList<string> Triggers, IReadOnlyDictionary<string, string> Templates, string Method, bool Enabled, string Status, bool IncludeActivity, string? Condition, bool Poster)
{
    public static ChannelView Of(NotificationChannel c) =>
        new(c.Id, c.Name, c.Kind, c.MaskedUrl, c.Secrets.Secret is { Length: > 0 }, [.. (c.Secrets.Headers ?? new Dictionary<string, string>()).Keys], c.Triggers, c.Templates, c.Method, c.Enabled, c.Status, c.Settings.IncludeActivity, c.Settings.Condition, c.Settings.Poster);
}

/// <summary>The body of <c>PUT /api/notifications/seen/{kind}/{key}</c>.</summary>
public sealed record SeenSwitch(bool? Notify);

internal static class NotificationEndpoints
{
    /// <summary>Live events reach the notification sink; channels declared in configuration are created or updated at start.</summary>
    public static IServiceCollection AddNotifications(this IServiceCollection services)
    {
        services.AddSingleton<ILiveEventSink>(sp => sp.GetRequiredService<NotificationFeed>());
        services.AddHostedService(sp => sp.GetRequiredService<NotificationFeed>());
        services.AddHostedService(sp => sp.GetRequiredService<SessionDigest>());
        services.AddHostedService<DeclaredChannels>();
        return services;
    }

    public static RouteGroupBuilder MapNotifications(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/notifications").WithTags("Notifications").ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/", async (NotificationService service, CancellationToken ct) => TypedResults.Ok((await service.ListAsync(ct)).Select(ChannelView.Of)));

        group.MapGet("/triggers", () => TypedResults.Ok(NotificationTriggers.All));

        group.MapGet("/variables", () => TypedResults.Ok(NotificationVariables.Catalogue));

        group.MapGet("/feed", (NotificationDeferral deferral) => TypedResults.Ok(deferral.Status()));

        group.MapGet("/seen", async (NotificationService service, CancellationToken ct) => TypedResults.Ok(await service.ListSeenAsync(ct)));

        group.MapPut("/seen/{kind}/{key}", async (string kind, string key, HttpRequest request, NotificationService service, CancellationToken ct) =>
        {
            var body = await RequestBody.ReadAsync<SeenSwitch>(request, ct);
            if (body.Notify is not { } notify)
            {
                throw ValidationException.For("notify", "notify is required: true or false.");
            }

            return TypedResults.Ok(await service.SetNotifyAsync(kind, key, notify, ct));
        })
        .Accepts<SeenSwitch>("application/json")
        .ProducesValidationProblem();

        group.MapGet("/{channel}", async (string channel, NotificationService service, CancellationToken ct) => TypedResults.Ok(ChannelView.Of(await service.GetAsync(channel, ct))));

        group.MapPost("/", async (HttpRequest request, NotificationService service, CancellationToken ct) =>
        {
            var body = await RequestBody.ReadAsync<ChannelRequest>(request, ct);
            var created = await service.CreateAsync(body, ct);
            return TypedResults.Created($"/api/notifications/{created.Id}", ChannelView.Of(created));
        })
        .Accepts<ChannelRequest>("application/json")
        .ProducesValidationProblem();

        group.MapPut("/{channel}", async (string channel, HttpRequest request, NotificationService service, CancellationToken ct) =>
        {
            var body = await RequestBody.ReadAsync<ChannelRequest>(request, ct);
            return TypedResults.Ok(ChannelView.Of(await service.UpdateAsync(channel, body, ct)));
        })
        .Accepts<ChannelRequest>("application/json")
        .ProducesValidationProblem();

        group.MapDelete("/{channel}", async (string channel, NotificationService service, CancellationToken ct) =>
        {
            await service.DeleteAsync(channel, ct);
            return TypedResults.NoContent();
        });

        group.MapPost("/{channel}/test", async (string channel, string? trigger, NotificationService service, CancellationToken ct) =>
            TypedResults.Accepted((string?)null, await service.SendTestAsync(channel, trigger, ct)))
            .ProducesValidationProblem();

        return group;
    }

    /// <summary>Creates or updates, by name, the channels marquee.yaml declares under <c>notifications.channels</c>.</summary>
    private sealed class DeclaredChannels(NotificationService service, IOptions<NotificationOptions> options) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            foreach (var channel in options.Value.Channels)
            {
                await service.UpsertAsync(channel.ToRequest(), cancellationToken);
            }
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
