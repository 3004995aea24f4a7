using System.Text.Json.Nodes;
using Marquee.Core.Connections;
using Marquee.Core.Providers;
using Marquee.Web.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Marquee.Web.Connections;

internal static class ConnectionEndpoints
{
    public static RouteGroupBuilder MapConnections(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/connections").WithTags("Connections").ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/", async (ConnectionService connections, CancellationToken ct) =>
            TypedResults.Ok(await connections.ListAsync(ct)));

        group.MapGet("/{id}", async (string id, ConnectionService connections, CancellationToken ct) =>
            TypedResults.Ok(await connections.GetAsync(id, ct)));

        group.MapGet("/{id}/accounts", async (string id, ConnectionService connections, CancellationToken ct) =>
            TypedResults.Ok(await connections.ListAccountsAsync(id, ct)));

        // The connection is saved even when its test fails (a server restarting must not lose it); the answer says whether it works.
        group.MapPost("/", async Task<Created<CreatedConnection>> (HttpRequest request, ConnectionService connections, CancellationToken ct) =>
        {
            var body = await RequestBody.ReadAsync<CreateConnectionRequest>(request, ct);
            var (created, test) = await connections.CreateAndTestAsync(body.Name, body.Kind, body.Settings, ct);
            return TypedResults.Created($"/api/connections/{created.Id}", new CreatedConnection(created.Id, created.Name, created.Kind, created.Settings, created.CreatedAt, created.UpdatedAt, test));
        })
        .Accepts<CreateConnectionRequest>("application/json")
        .ProducesValidationProblem()
        .ProducesProblem(StatusCodes.Status409Conflict)
        .ProducesProblem(StatusCodes.Status413PayloadTooLarge);

        group.MapPut("/{id}", async (string id, HttpRequest request, ConnectionService connections, CancellationToken ct) =>
        {
            var body = await RequestBody.ReadAsync<UpdateConnectionRequest>(request, ct);
            return TypedResults.Ok(await connections.UpdateAsync(id, body.Name, body.Settings, ct));
        })
        .Accepts<UpdateConnectionRequest>("application/json")
        .ProducesValidationProblem()
        .ProducesProblem(StatusCodes.Status409Conflict)
        .ProducesProblem(StatusCodes.Status413PayloadTooLarge);

        group.MapDelete("/{id}", async (string id, ConnectionService connections, CancellationToken ct) =>
        {
            await connections.DeleteAsync(id, ct);
            return TypedResults.NoContent();
        })
        .ProducesProblem(StatusCodes.Status409Conflict);

        group.MapPost("/{id}/test", async (string id, ConnectionService connections, CancellationToken ct) =>
        {
            var problems = await connections.TestAsync(id, ct);
            return TypedResults.Ok(new ConnectionTestResult(problems.Count == 0, problems));
        });

        return group;
    }
}

public sealed record CreateConnectionRequest(string? Name, string? Kind, JsonObject? Settings);

public sealed record UpdateConnectionRequest(string? Name, JsonObject? Settings);

/// <summary>A new connection as stored (secrets masked) with the outcome of the test made right after saving it.</summary>
public sealed record CreatedConnection(long Id, string Name, string Kind, JsonObject Settings, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, ConnectionTestOutcome Test);

public sealed record ConnectionTestResult(bool Ok, IReadOnlyList<FieldProblem> Problems);
