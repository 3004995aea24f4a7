using System.Text.Json.Nodes;
using Marquee.Simulators.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Marquee.Simulators.Seerr;

/// <summary>The <c>/_sim</c> control API (documented in README.md), the same shape as the other simulators'.</summary>
internal static class SeerrControlEndpoints
{
    public static void MapSeerrControl(this IEndpointRouteBuilder app, SeerrState state, SeerrWebhooks webhooks, SimHarness harness)
    {
        var sim = app.MapGroup("/_sim");
        sim.MapGet("/state", () => new
        {
            flavor = state.Options.Flavor,
            users = state.Users().Select(u => new { u.Id, u.PlexId, u.PlexUsername, u.Username, u.DisplayName }),
            requests = state.Requests().Select(r => new { r.Id, r.MediaId, r.RequestedBy, r.Status, r.Is4k, r.Seasons }),
        });
        sim.MapPost("/users", (AddUserRequest r) => SimHarnessEndpoints.Guard(() =>
        {
            Check(!string.IsNullOrWhiteSpace(r.PlexUsername) || !string.IsNullOrWhiteSpace(r.Username), "plexUsername or username is required");
            var user = state.AddUser(r.PlexId, r.PlexUsername, r.Username, r.Email, r.Permissions ?? 32);
            return Results.Ok(new { id = user.Id });
        }));
        sim.MapPost("/requests", (AddRequest r) => SimHarnessEndpoints.Guard(() =>
        {
            Check(r.MediaType is "movie" or "tv", "mediaType must be movie or tv");
            Check(r.TmdbId is > 0, "tmdbId must be a positive number");
            Check(r.UserId is > 0, "userId is required");
            var request = state.AddRequest(r.UserId!.Value, r.MediaType!, r.TmdbId!.Value, r.TvdbId, r.Title ?? $"Title {r.TmdbId}", r.Year ?? 2026, r.Seasons ?? [], r.Is4k ?? false, r.AutoApprove ?? false, r.IsAutoRequest ?? false);
            webhooks.Publish(request.Status == 2 ? "MEDIA_AUTO_APPROVED" : "MEDIA_PENDING", request);
            return Results.Ok(new { id = request.Id, mediaId = request.MediaId });
        }));
        sim.MapPost("/requests/{id:int}/approve", (int id) => SimHarnessEndpoints.Guard(() =>
        {
            webhooks.Publish("MEDIA_APPROVED", state.Decide(id, approve: true));
            return Results.Ok();
        }));
        sim.MapPost("/requests/{id:int}/decline", (int id) => SimHarnessEndpoints.Guard(() =>
        {
            webhooks.Publish("MEDIA_DECLINED", state.Decide(id, approve: false));
            return Results.Ok();
        }));
        sim.MapDelete("/requests/{id:int}", (int id) => state.DeleteRequest(id) ? Results.Ok() : Results.NotFound(new { error = $"no request with id {id}" }));
        sim.MapPost("/media/{id:int}/available", (int id, AvailableRequest? r) => SimHarnessEndpoints.Guard(() =>
        {
            var (_, notified) = state.MakeAvailable(id, r?.RatingKey);
            foreach (var request in notified)
            {
                webhooks.Publish("MEDIA_AVAILABLE", request);
            }

            return Results.Ok(new { notified = notified.Count });
        }));
        sim.MapPut("/webhook", (WebhookRequest r) => SimHarnessEndpoints.Guard(() =>
        {
            Check(Uri.TryCreate(r.Url, UriKind.Absolute, out var url) && url.Scheme is "http" or "https", "url must be an absolute http(s) URL");
            JsonObject template;
            try
            {
                template = r.Template is { Length: > 0 } t ? JsonNode.Parse(t) as JsonObject ?? throw new ArgumentException("template must be a JSON object") : (JsonObject)JsonNode.Parse(SeerrWebhooks.DefaultTemplate)!;
            }
            catch (System.Text.Json.JsonException e)
            {
                throw new ArgumentException("template is not valid JSON: " + e.Message);
            }

            webhooks.Settings = new SeerrWebhookSettings(r.Url!, r.Authorization ?? string.Empty, r.Types ?? (2 + 4 + 8 + 128), template);
            return Results.Ok();
        }));
        sim.MapPost("/webhook/test", () =>
        {
            webhooks.Publish("TEST_NOTIFICATION", null);
            return Results.Ok();
        });
        sim.MapGet("/webhooks", () => webhooks.Deliveries);
        sim.MapHarness(harness);
        sim.MapClock(state.Clock);
    }

    private static void Check(bool ok, string message)
    {
        if (!ok)
        {
            throw new ArgumentException(message);
        }
    }

    internal sealed record AddUserRequest(long? PlexId, string? PlexUsername, string? Username, string? Email, long? Permissions);

    internal sealed record AddRequest(int? UserId, string? MediaType, int? TmdbId, int? TvdbId, string? Title, int? Year, IReadOnlyList<int>? Seasons, bool? Is4k, bool? AutoApprove, bool? IsAutoRequest);

    internal sealed record AvailableRequest(string? RatingKey);

    internal sealed record WebhookRequest(string? Url, string? Authorization, int? Types, string? Template);
}
