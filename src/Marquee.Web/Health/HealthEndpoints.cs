using Marquee.Core.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Marquee.Web.Health;

internal static class HealthEndpoints
{
    public static IEndpointConventionBuilder MapHealth(this IEndpointRouteBuilder app) =>
        app.MapGet("/healthz", async Task<Results<Ok<HealthReport>, JsonHttpResult<HealthReport>>> (IDatabase database, CancellationToken ct) =>
        {
            try
            {
                await database.CheckAsync(ct);
                return TypedResults.Ok(new HealthReport("healthy", new StoreHealth(database.Engine, "ok", null)));
            }
            catch (StoreException ex)
            {
                return TypedResults.Json(new HealthReport("unhealthy", new StoreHealth(database.Engine, "failing", ex.Message)), statusCode: StatusCodes.Status503ServiceUnavailable);
            }
        })
        .WithTags("Health");
}

public sealed record HealthReport(string Status, StoreHealth Store);

public sealed record StoreHealth(string Engine, string Status, string? Error);
