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
        sim.MapGet("/accounts/{account}/state", (string account) => Guard(() => Results.Ok(control.Dump(account))));
        sim.MapPost("/play", (PlayRequest r) => Guard(() =>
        {
            var item = control.Item(r.ItemId);
            var ticks = r.PositionTicks ?? (long)((item.RunTimeTicks ?? 0) * (r.Percent ?? 100) / 100.0);
            return Results.Ok(control.Play(r.Account, r.ItemId, ticks, r.Stop ?? true));
        }));
        sim.MapPost("/mark", (MarkRequest r) => Guard(() => Results.Ok(control.Mark(r.Account, r.ItemId, r.Watched, r.DatePlayed))));
        sim.MapGet("/clock", () => new { now = control.Now.ToUnixTimeSeconds() });
        sim.MapPost("/clock", (ClockRequest r) =>
        {
            if (r.Set is { } set)
            {
                control.SetClock(DateTimeOffset.FromUnixTimeSeconds(set));
            }

            if (r.AdvanceSeconds is { } by)
            {
                control.AdvanceClock(TimeSpan.FromSeconds(by));
            }

            return new { now = control.Now.ToUnixTimeSeconds() };
        });
        sim.MapPost("/items", (AddItemRequest r) => Guard(() =>
        {
            var item = control.AddMovie(r.Title, r.Year ?? 2024, r.ProviderIds);
            return Results.Ok(new { id = item.Id });
        }));
        sim.MapDelete("/items/{itemId}", (string itemId) => control.Remove(itemId) ? Results.Ok() : Results.NotFound());
        sim.MapPatch("/items/{itemId}", (string itemId, PatchItemRequest r) => Guard(() =>
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
        sim.MapPut("/webhook", (WebhookRequest r) => Guard(() =>
        {
            control.SetWebhook(r.Url is { Length: > 0 } url ? new Uri(url) : null);
            return Results.Ok();
        }));
        sim.MapGet("/webhooks", () => control.Webhooks.Deliveries);
    }

    private static IResult Guard(Func<IResult> action)
    {
        try
        {
            return action();
        }
        catch (KeyNotFoundException e)
        {
            return Results.NotFound(new { error = e.Message });
        }
        catch (Exception e) when (e is ArgumentException or UriFormatException)
        {
            return Results.BadRequest(new { error = e.Message });
        }
    }

    internal sealed record PlayRequest(string Account, string ItemId, long? PositionTicks, double? Percent, bool? Stop);

    internal sealed record MarkRequest(string Account, string ItemId, bool Watched, DateTimeOffset? DatePlayed);

    internal sealed record ClockRequest(long? Set, long? AdvanceSeconds);

    internal sealed record AddItemRequest(string Title, int? Year, Dictionary<string, string>? ProviderIds);

    internal sealed record PatchItemRequest(string? Title);



    internal sealed record WebhookRequest(string? Url);
}
