using System.Globalization;
using Marquee.Simulators.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Marquee.Simulators.Plex;

/// <summary>The <c>/_sim</c> control API (documented in README.md); not part of Plex.</summary>
internal static class ControlEndpoints
{
    public static void MapControl(this IEndpointRouteBuilder app, SimControl control)
    {
        var sim = app.MapGroup("/_sim");
        sim.MapGet("/accounts", () => control.State.Accounts.Select(a => new
        {
            a.Name,
            a.PlexTvId,
            a.LocalId,
            Kind = a.Kind.ToString().ToLowerInvariant(),
            a.AccountToken,
            a.ServerToken,
            a.Pin,
            a.Uuid,
        }));
        sim.MapGet("/accounts/{account}/state", (string account) => Guard(() => Results.Ok(control.Dump(account))));
        sim.MapPut("/accounts/{account}/webhooks", (string account, WebhookUrls body) => Guard(() =>
        {
            control.SetWebhooks(account, body.Urls.Select(u => new Uri(u)));
            return Results.Ok();
        }));
        sim.MapPost("/play", (PlayRequest r) => Guard(() => Results.Ok(control.Play(r.Account, r.RatingKey, r.PositionMs ?? (long)(control.Item(r.RatingKey).Duration * (r.Percent ?? 100) / 100.0), r.Stop, r.ClientId ?? "sim-player", r.Pause))));
        sim.MapPost("/sessions", (SessionSpec r) => Guard(() => Results.Ok(control.StartSession(r))));
        sim.MapGet("/sessions", () => control.State.Sessions().Select(s => new SessionDump(s.SessionKey, s.SessionId, s.Item.RatingKey, s.State, s.ViewOffset, s.ClientIdentifier, s.Product, s.VideoDecision, s.AudioDecision, s.Location, s.Bandwidth, s.PausedAt)));
        sim.MapGet("/terminations", () => control.Terminations);
        sim.MapPost("/mark", (MarkRequest r) => Guard(() =>
        {
            control.Mark(r.Account, r.RatingKey, r.Watched);
            return Results.Ok();
        }));
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
            var item = r.SeasonRatingKey is { } season
                ? control.AddEpisode(season, r.Title, r.Index ?? 1)
                : control.AddMovie(r.SectionId ?? 1, r.Title, r.Year ?? 2024, r.Guid);
            return Results.Ok(new { ratingKey = item.RatingKey.ToString(CultureInfo.InvariantCulture), guid = item.PrimaryGuid });
        }));
        sim.MapDelete("/items/{ratingKey:int}", (int ratingKey) => control.Remove(ratingKey) ? Results.Ok() : Results.NotFound());
        sim.MapPatch("/items/{ratingKey:int}", (int ratingKey, PatchItemRequest r) => Guard(() =>
        {
            if (r.Title is not null)
            {
                control.Rename(ratingKey, r.Title);
            }

            if (r.Unavailable is { } unavailable)
            {
                control.MarkUnavailable(ratingKey, unavailable);
            }

            return Results.Ok();
        }));
        sim.MapHarness(control.Harness);
        sim.MapGet("/plextv", () => new PlexTvRequest(control.PlexTvOutage));
        sim.MapPut("/plextv", async (PlexTvRequest r) =>
        {
            await control.SetPlexTvOutageAsync(r.Outage);
            return Results.Ok();
        });
        sim.MapPost("/pins/{id:int}/approve", (int id, ApproveRequest r) => Guard(() => control.ApprovePin(id, r.Account) ? Results.Ok() : Results.NotFound()));
        sim.MapPost("/webhooks/admin", (AdminRequest r) =>
        {
            control.SendAdminWebhook(r.Event);
            return Results.Ok();
        });
        sim.MapGet("/webhooks", () => control.Webhooks.Deliveries);
        sim.MapPost("/events/restart", () =>
        {
            control.Stream.Restart();
            return Results.Ok();
        });
        sim.MapPost("/events/raw", async (HttpContext ctx) =>
        {
            using var reader = new StreamReader(ctx.Request.Body);
            control.Stream.Broadcast(await reader.ReadToEndAsync(ctx.RequestAborted));
            return Results.Ok();
        });
        sim.MapPut("/events/mute-playing", (MuteRequest r) =>
        {
            control.Stream.MutePlaying = r.Muted;
            return Results.Ok();
        });
    }

    internal static IResult Guard(Func<IResult> action)
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

    internal sealed record PlayRequest(string Account, int RatingKey, long? PositionMs, double? Percent, bool Stop, string? ClientId, bool Pause);

    internal sealed record MarkRequest(string Account, int RatingKey, bool Watched);

    internal sealed record ClockRequest(long? Set, long? AdvanceSeconds);

    internal sealed record AddItemRequest(string Title, int? SectionId, int? Year, string? Guid, int? SeasonRatingKey, int? Index);

    internal sealed record PatchItemRequest(string? Title, bool? Unavailable);



    internal sealed record ApproveRequest(string Account);

    internal sealed record AdminRequest(string Event);

    internal sealed record MuteRequest(bool Muted);

    internal sealed record PlexTvRequest([property: System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<PlexTvOutage>))] PlexTvOutage Outage);

    internal sealed record WebhookUrls(IReadOnlyList<string> Urls);
}
