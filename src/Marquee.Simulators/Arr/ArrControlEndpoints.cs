using Marquee.Simulators.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Marquee.Simulators.Arr;

/// <summary>The <c>/_sim</c> control API (documented in README.md), the same shape as the Plex and Jellyfin simulators'.</summary>
internal static class ArrControlEndpoints
{
    public static void MapControl(this IEndpointRouteBuilder app, ArrControl control)
    {
        var sim = app.MapGroup("/_sim");
        sim.MapGet("/state", () => Results.Ok(control.Dump()));
        sim.MapPost("/movies", (AddMovieRequest r) => Guard(() =>
        {
            Check(!string.IsNullOrWhiteSpace(r.Title), "title is required");
            Check(r.TmdbId is > 0, "tmdbId must be a positive number");
            var movie = control.AddMovie(r.Title!, r.Year ?? 2026, r.TmdbId!.Value, r.ImdbId, r.Tags ?? [], r.AddMethod ?? "manual");
            return Results.Ok(new { id = movie.Id });
        }));
        sim.MapPost("/series", (AddSeriesRequest r) => Guard(() =>
        {
            Check(!string.IsNullOrWhiteSpace(r.Title), "title is required");
            Check(r.TvdbId is > 0, "tvdbId must be a positive number");
            Check(r.Seasons is null or (>= 1 and <= 100) && r.Episodes is null or (>= 1 and <= 500), "seasons must be 1 to 100 and episodes 1 to 500");
            var series = control.AddSeries(r.Title!, r.Year ?? 2026, r.TvdbId!.Value, r.Seasons ?? 1, r.Episodes ?? 6, r.Tags ?? [], r.ImdbId);
            return Results.Ok(new { id = series.Id });
        }));
        sim.MapPost("/import", (ImportRequest r) => Guard(() => Results.Ok(new { fileId = control.Import(r.MovieId, r.SeriesId, r.EpisodeIds ?? [], r.Upgrade ?? false) })));
        sim.MapDelete("/items/{id:int}", (int id, bool? deleteFiles) => control.Delete(id, deleteFiles ?? false) ? Results.Ok() : Results.NotFound(new { error = $"no item with id {id}" }));
        sim.MapGet("/webhooks", () => control.Webhooks.Deliveries);
        sim.MapHarness(control.Harness);
    }

    private static void Check(bool ok, string message)
    {
        if (!ok)
        {
            throw new ArgumentException(message);
        }
    }

    private static IResult Guard(Func<IResult> action)
    {
        try
        {
            return action();
        }
        catch (KeyNotFoundException ex)
        {
            return Results.NotFound(new { error = ex.Message });
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            return Results.BadRequest(new { error = ex.Message });
        }
    }

    internal sealed record AddMovieRequest(string? Title, int? Year, int? TmdbId, string? ImdbId, IReadOnlyList<string>? Tags, string? AddMethod);

    internal sealed record AddSeriesRequest(string? Title, int? Year, int? TvdbId, int? Seasons, int? Episodes, IReadOnlyList<string>? Tags, string? ImdbId);

    internal sealed record ImportRequest(int? MovieId, int? SeriesId, IReadOnlyList<int>? EpisodeIds, bool? Upgrade);
}
