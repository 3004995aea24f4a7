using Marquee.Core.Flows;
using Marquee.Web.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Marquee.Web.Flows;

internal static class FlowEndpoints
{
    public static RouteGroupBuilder MapFlows(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/flows").WithTags("Flows").ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/", async (FlowService flows, CancellationToken ct) => TypedResults.Ok(await flows.ListAsync(ct)));

        group.MapGet("/{id}", async (string id, FlowService flows, CancellationToken ct) => TypedResults.Ok(await flows.FindAsync(id, ct)));

        group.MapPost("/", async Task<Created<Flow>> (HttpRequest request, FlowService flows, CancellationToken ct) =>
        {
            var body = await RequestBody.ReadAsync<FlowInput>(request, ct);
            var created = await flows.CreateAsync(body, ct);
            return TypedResults.Created($"/api/flows/{created.Id}", created);
        })
        .Accepts<FlowInput>("application/json")
        .ProducesValidationProblem()
        .ProducesProblem(StatusCodes.Status409Conflict)
        .ProducesProblem(StatusCodes.Status413PayloadTooLarge);

        group.MapPut("/{id}", async (string id, HttpRequest request, FlowService flows, CancellationToken ct) =>
        {
            var body = await RequestBody.ReadAsync<FlowInput>(request, ct);
            return TypedResults.Ok(await flows.UpdateAsync(id, body, ct));
        })
        .Accepts<FlowInput>("application/json")
        .ProducesValidationProblem()
        .ProducesProblem(StatusCodes.Status409Conflict);

        group.MapDelete("/{id}", async (string id, FlowService flows, CancellationToken ct) =>
        {
            await flows.DeleteAsync(id, ct);
            return TypedResults.NoContent();
        });

        return group;
    }
}
