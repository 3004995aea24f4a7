using System.Text.Json;
using Marquee.Core.Outbox;
using Marquee.Web.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Marquee.Web.Outbox;

/// <summary>What <c>POST /api/outbox</c> takes: a kind, its payload, and the key that makes repeating the request safe.</summary>
public sealed class OutboxInput
{
    public string? Kind { get; set; }

    /// <summary>Gets or sets the idempotency key; the same key again returns the stored delivery. One is made when none is given.</summary>
    public string? IdempotencyKey { get; set; }

    /// <summary>Gets or sets the circuit's key; by default the kind's (for http, the URL's scheme, host and port).</summary>
    public string? Target { get; set; }

    public JsonElement Payload { get; set; }
}

internal static class OutboxEndpoints
{
    /// <summary>Runs the dispatcher in the server.</summary>
    public static IServiceCollection AddOutboxDispatcher(this IServiceCollection services) =>
        services.AddHostedService(sp => sp.GetRequiredService<OutboxDispatcher>());

    public static RouteGroupBuilder MapOutbox(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/outbox").WithTags("Outbox").ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/", async (string? status, int? limit, OutboxService outbox, CancellationToken ct) =>
            TypedResults.Ok(await outbox.ListAsync(status, limit ?? 100, ct)))
            .ProducesValidationProblem();

        group.MapGet("/status", async (OutboxService outbox, CancellationToken ct) =>
        {
            var counts = await outbox.CountAsync(ct);
            return TypedResults.Ok(new OutboxStatusView(counts.ByStatus, counts.Targets));
        });

        group.MapGet("/{id}", async (string id, OutboxService outbox, CancellationToken ct) => TypedResults.Ok(await outbox.GetAsync(OutboxService.ParseId(id), ct)));

        group.MapPost("/", async Task<Results<Created<OutboxMessage>, Ok<OutboxMessage>>> (HttpRequest request, OutboxService outbox, CancellationToken ct) =>
        {
            var body = await RequestBody.ReadAsync<OutboxInput>(request, ct);
            var (message, created) = await outbox.EnqueueAsync(body.Kind, body.IdempotencyKey ?? Guid.NewGuid().ToString("N"), body.Payload, body.Target, cancellationToken: ct);
            return created ? TypedResults.Created($"/api/outbox/{message.Id}", message) : TypedResults.Ok(message);
        })
        .Accepts<OutboxInput>("application/json")
        .ProducesValidationProblem();

        group.MapPost("/{id}/retry", async (string id, OutboxService outbox, CancellationToken ct) => TypedResults.Ok(await outbox.RetryAsync(OutboxService.ParseId(id), ct)))
            .ProducesProblem(StatusCodes.Status409Conflict);

        return group;
    }
}

/// <summary>GET /api/outbox/status: messages by status and each target's state.</summary>
public sealed record OutboxStatusView(IReadOnlyDictionary<string, long> Deliveries, IReadOnlyList<OutboxTarget> Targets);
