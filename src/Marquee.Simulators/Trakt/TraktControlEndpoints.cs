using Marquee.Simulators.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Marquee.Simulators.Trakt;

/// <summary>The <c>/_sim</c> control API (documented in README.md), the same shape as the other simulators'.</summary>
internal static class TraktControlEndpoints
{
    public static void MapTraktControl(this IEndpointRouteBuilder app, TraktControl control)
    {
        var sim = app.MapGroup("/_sim");
        sim.MapGet("/accounts", () => control.State.Accounts.Select(a => new { a.Name, a.Locked, a.Deactivated, a.Vip }));
        sim.MapGet("/accounts/{account}/state", (string account) => SimHarnessEndpoints.Guard(() => Results.Ok(control.Dump(account))));
        sim.MapPost("/accounts/{account}/token", (string account) => SimHarnessEndpoints.Guard(() => Results.Ok(control.Issue(account))));
        sim.MapPost("/accounts/{account}/lock", (string account, LockRequest r) => SimHarnessEndpoints.Guard(() =>
        {
            control.Lock(account, r.Locked, r.Deactivated ?? false);
            return Results.Ok();
        }));
        sim.MapPost("/accounts/{account}/plays", (string account, PlayRequest r) => SimHarnessEndpoints.Guard(() =>
            Results.Ok(new { id = control.Play(account, control.Media(r.Type, r.Trakt), r.WatchedAt) })));
        sim.MapPost("/accounts/{account}/ratings", (string account, RateRequest r) => SimHarnessEndpoints.Guard(() =>
        {
            control.Rate(account, control.Media(r.Type, r.Trakt), r.Rating, r.RatedAt);
            return Results.Ok();
        }));
        sim.MapPost("/accounts/{account}/watchlist", (string account, ListRequest r) => SimHarnessEndpoints.Guard(() =>
            Results.Ok(new { changed = control.Watchlist(account, control.Media(r.Type, r.Trakt), r.Remove != true) })));
        sim.MapPost("/accounts/{account}/playback", (string account, PauseRequest r) => SimHarnessEndpoints.Guard(() =>
        {
            if (r.Progress is < 0 or > 100 || double.IsNaN(r.Progress))
            {
                throw new ArgumentOutOfRangeException(nameof(r), r.Progress, "progress must be from 0 to 100");
            }

            return Results.Ok(control.Pause(account, control.Media(r.Type, r.Trakt), r.Progress));
        }));
        sim.MapGet("/devices", () => control.State.DeviceCodes.Select(d => new { d.UserCode, State = d.State.ToString().ToLowerInvariant(), d.Account, d.Polls, d.ExpiresAt }));
        sim.MapPost("/devices/{userCode}/approve", (string userCode, ApproveRequest r) => SimHarnessEndpoints.Guard(() =>
        {
            control.Approve(userCode, r.Account ?? throw new ArgumentException("account is required"));
            return Results.Ok();
        }));
        sim.MapPost("/devices/{userCode}/deny", (string userCode) => SimHarnessEndpoints.Guard(() =>
        {
            control.Deny(userCode);
            return Results.Ok();
        }));
        sim.MapPost("/tokens/revoke", () =>
        {
            control.State.RevokeAll();
            return Results.Ok();
        });
        sim.MapPut("/tokens/lifetime", (LifetimeRequest r) =>
        {
            if (r.Seconds <= 0)
            {
                return Results.BadRequest(new { error = "seconds must be more than 0" });
            }

            control.State.TokenLifetimeSeconds = r.Seconds;
            return Results.Ok();
        });
        sim.MapClock(control.State.Clock);
        sim.MapGet("/limits", () => new
        {
            postLimit = control.Limits.PostLimit,
            postWindowMs = (int)control.Limits.PostWindow.TotalMilliseconds,
            getLimit = control.Limits.GetLimit,
            getWindowSeconds = (int)control.Limits.GetWindow.TotalSeconds,
            watchlistLimit = control.State.WatchlistLimit,
            buckets = control.Limits.Counts,
        });
        sim.MapPut("/limits", (LimitsRequest r) =>
        {
            if (r.PostLimit is < 0 || r.GetLimit is < 0 || r.PostWindowMs is <= 0 || r.GetWindowSeconds is <= 0 || r.WatchlistLimit is < 0)
            {
                return Results.BadRequest(new { error = "limits must be 0 or more and windows more than 0" });
            }

            control.Limits.PostLimit = r.PostLimit ?? control.Limits.PostLimit;
            control.Limits.PostWindow = r.PostWindowMs is { } post ? TimeSpan.FromMilliseconds(post) : control.Limits.PostWindow;
            control.Limits.GetLimit = r.GetLimit ?? control.Limits.GetLimit;
            control.Limits.GetWindow = r.GetWindowSeconds is { } get ? TimeSpan.FromSeconds(get) : control.Limits.GetWindow;
            control.State.WatchlistLimit = r.WatchlistLimit ?? control.State.WatchlistLimit;
            control.Limits.ResetWindows();
            return Results.Ok();
        });
        sim.MapGet("/status", () => control.StatusFaults);
        sim.MapPut("/status", (StatusRequest r) =>
        {
            if (string.IsNullOrWhiteSpace(r.Endpoint))
            {
                return Results.BadRequest(new { error = "endpoint is required (\"POST /sync/history\", or \"*\" for every endpoint)" });
            }

            return SimHarnessEndpoints.Guard(() =>
            {
                control.SetStatusFault(r.Endpoint, r.Fault);
                return Results.Ok();
            });
        });
        sim.MapDelete("/status", () =>
        {
            control.ClearStatusFaults();
            return Results.Ok();
        });
        sim.MapHarness(control.Harness);
        sim.MapDelete("/counts/buckets", () =>
        {
            control.Limits.ResetCounts();
            return Results.Ok();
        });
    }

    internal sealed record LockRequest(bool Locked, bool? Deactivated);

    internal sealed record PlayRequest(string Type, long Trakt, DateTimeOffset? WatchedAt);

    internal sealed record RateRequest(string Type, long Trakt, int Rating, DateTimeOffset? RatedAt);

    internal sealed record ListRequest(string Type, long Trakt, bool? Remove);

    internal sealed record PauseRequest(string Type, long Trakt, double Progress);

    internal sealed record ApproveRequest(string? Account);

    internal sealed record LifetimeRequest(int Seconds);

    internal sealed record LimitsRequest(int? PostLimit, int? PostWindowMs, int? GetLimit, int? GetWindowSeconds, int? WatchlistLimit);

    internal sealed record StatusRequest(string? Endpoint, TraktStatusFault? Fault);
}
