using Marquee.Simulators.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Marquee.Simulators.Jellyfin;

/// <summary>The <c>/_sim</c> control API (documented in README.md), the same shape as the Plex simulator's.</summary>
internal static class JellyfinControlEndpoints
{
    public static void MapControl(this IEndpointRouteBuilder app, JellyfinControl control)
    {
        var sim = app.MapGroup("/_sim");
        sim.MapGet("/accounts", () => control.State.Users.Select(u => new { u.Name, u.Id, u.Password, u.IsAdministrator, ApiKey = control.State.Options.ApiKey }));
        sim.MapGet("/accounts/{account}/state", (string account) => SimHarnessEndpoints.Guard(() => Results.Ok(control.Dump(account))));
        sim.MapPost("/play", (PlayRequest r) => SimHarnessEndpoints.Guard(() =>
        {
            var item = control.Item(r.ItemId);
            var ticks = r.PositionTicks ?? (long)((item.RunTimeTicks ?? 0) * (r.Percent ?? 100) / 100.0);
            return Results.Ok(control.Play(r.Account, r.ItemId, ticks, r.Stop ?? true));
        }));
        sim.MapPost("/mark", (MarkRequest r) => SimHarnessEndpoints.Guard(() => Results.Ok(control.Mark(r.Account, r.ItemId, r.Watched, r.DatePlayed))));
        sim.MapClock(control.State.Clock);
        sim.MapPost("/items", (AddItemRequest r) => SimHarnessEndpoints.Guard(() =>
        {
            var item = control.AddMovie(r.Title, r.Year ?? 2024, r.ProviderIds);
            return Results.Ok(new { id = item.Id });
        }));
        sim.MapDelete("/items/{itemId}", (string itemId) => control.Remove(itemId) ? Results.Ok() : Results.NotFound());
        sim.MapPatch("/items/{itemId}", (string itemId, PatchItemRequest r) => SimHarnessEndpoints.Guard(() =>
        {
            if (r.Title is not null)
            {
                control.Rename(itemId, r.Title);
            }

            return Results.Ok();
        }));
        sim.MapHarness(control.Harness);
        sim.MapPost("/tokens/revoke", () =>
        {
            control.RevokeTokens();
            return Results.Ok();
        });
        sim.MapPut("/webhook", (WebhookRequest r) => SimHarnessEndpoints.Guard(() =>
        {
            control.SetWebhook(r.Url is { Length: > 0 } url ? new Uri(url) : null);
            return Results.Ok();
        }));
        sim.MapGet("/webhooks", () => control.Webhooks.Deliveries);
    }

    internal sealed record PlayRequest(string Account, string ItemId, long? PositionTicks, double? Percent, bool? Stop);

    internal sealed record MarkRequest(string Account, string ItemId, bool Watched, DateTimeOffset? DatePlayed);

    internal sealed record AddItemRequest(string Title, int? Year, Dictionary<string, string>? ProviderIds);

    internal sealed record PatchItemRequest(string? Title);



    internal sealed record WebhookRequest(string? Url);
}
