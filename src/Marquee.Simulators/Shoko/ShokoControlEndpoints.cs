using Marquee.Simulators.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Marquee.Simulators.Shoko;

/// <summary>The <c>/_sim</c> control API (documented in README.md), the same shape as the other simulators'.</summary>
internal static class ShokoControlEndpoints
{
    public static void MapControl(this IEndpointRouteBuilder app, ShokoControl control)
    {
        var sim = app.MapGroup("/_sim");
        sim.MapGet("/accounts", () => control.State.Users.Select(u => new { u.Id, u.Username, u.Password, u.IsAdmin, u.PlexUsernames }));
        sim.MapGet("/accounts/{account}/state", (string account) => Guard(() => Results.Ok(control.Dump(account))));
        sim.MapPost("/mark", (MarkRequest r) => Guard(() => Results.Ok(control.Mark(r.Account, r.EpisodeId, r.Watched))));
        sim.MapPost("/play", (PlayRequest r) => Guard(() =>
        {
            if (r.PositionSeconds < 0)
            {
                throw new ArgumentException("positionSeconds must be 0 or more");
            }

            return Results.Ok(control.Play(r.Account, r.FileId, (long)(r.PositionSeconds * TimeSpan.TicksPerSecond)));
        }));
        sim.MapPut("/mode", (ModeRequest r) => Guard(() =>
        {
            control.SetMode(Enum.TryParse<ShokoServerMode>(r.Mode, ignoreCase: true, out var mode) ? mode : throw new ArgumentException("mode must be started, notStarted or databaseBlocked"));
            return Results.Ok();
        }));
        sim.MapClock(control.State.Clock);
        sim.MapPost("/version-body", (string? shape) => Guard(() =>
        {
            control.State.VersionBody = Enum.TryParse<ShokoVersionBody>(shape, ignoreCase: true, out var body) && Enum.IsDefined(body)
                ? body
                : throw new ArgumentException("shape must be set, list or none");
            return Results.Ok();
        }));
        sim.MapPost("/keys/revoke", () =>
        {
            control.State.RevokeKeys();
            return Results.Ok();
        });
        sim.MapHarness(control.Harness);
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
        catch (ArgumentException e)
        {
            return Results.BadRequest(new { error = e.Message });
        }
    }

    internal sealed record MarkRequest(string Account, int EpisodeId, bool Watched);

    internal sealed record PlayRequest(string Account, int FileId, double PositionSeconds);

    internal sealed record ModeRequest(string? Mode);
}
