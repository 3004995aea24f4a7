using System.Globalization;
using Marquee.Core.Profiles;
using Marquee.Core.Sync;
using Marquee.Core.Validation;
using Marquee.Web.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Marquee.Web.Sync;

/// <summary>A request to run flows now.</summary>
public sealed record SyncRequest
{
    public IReadOnlyList<string>? Flows { get; init; }

    public string? Since { get; init; }

    public bool DryRun { get; init; }

    public bool Force { get; init; }

    /// <summary>Gets the libraries (names or keys) this run alone reads, within each flow's own.</summary>
    public IReadOnlyList<string>? Libraries { get; init; }

    /// <summary>Gets the profiles this run alone syncs, within each flow's own.</summary>
    public IReadOnlyList<string>? Profiles { get; init; }
}

/// <summary>A run as the API returns it after a sync: the run, a summary per feature and the plan with outcomes.</summary>
public sealed record SyncRunResult(SyncRun Run, IReadOnlyList<FeatureSummary> Features, IReadOnlyList<SyncPlanEntry> Plan);

public sealed record SyncPlanEntry(long ProfileId, string Connection, long ItemId, string? Title, string Feature, string Action, string Reason, string? SkipReason, string? Outcome);

public sealed record SyncResponse(IReadOnlyList<SyncRunResult> Runs);

public sealed record RunDetails(SyncRun Run, IReadOnlyList<RunWrite> Writes);

public sealed record DeletedRows(int Deleted);

internal static class SyncEndpoints
{
    public static IEndpointRouteBuilder MapSync(this IEndpointRouteBuilder app)
    {
        var runs = app.MapGroup("/api/runs").WithTags("Runs").ProducesProblem(StatusCodes.Status404NotFound);
        runs.MapGet("/", async (int? limit, IRunStore store, CancellationToken ct) =>
        {
            if (limit is < 1 or > 10_000)
            {
                throw ValidationException.For("limit", "'limit' must be between 1 and 10000.");
            }

            return TypedResults.Ok(await store.ListAsync(limit ?? 50, ct));
        })
        .ProducesValidationProblem();
        runs.MapGet("/{id:long}", async (long id, IRunStore store, CancellationToken ct) =>
        {
            var run = await store.GetAsync(id, ct) ?? throw new NotFoundException("run", id.ToString(CultureInfo.InvariantCulture));
            return TypedResults.Ok(new RunDetails(run, await store.ListWritesAsync(id, ct)));
        });
        runs.MapPost("/{id:long}/undo", async (long id, FlowRunner runner, CancellationToken ct) => TypedResults.Ok(await runner.UndoAsync(id, ct)))
            .ProducesProblem(StatusCodes.Status409Conflict);

        var sync = app.MapGroup("/api/sync").WithTags("Runs");
        sync.MapPost("/", async (HttpRequest request, FlowRunner runner, TimeProvider clock, CancellationToken ct) =>
        {
            var body = await RequestBody.ReadAsync<SyncRequest>(request, ct);
            DateTimeOffset? since = null;
            if (body.Since is not null)
            {
                since = FlowRunner.TryParseSince(body.Since, clock.GetUtcNow(), out var parsed, out var error) ? parsed : throw ValidationException.For("since", error);
            }

            IReadOnlyList<Core.Flows.Flow> flows;
            try
            {
                flows = await runner.SelectAsync(body.Flows ?? [], ct);
            }
            catch (NotFoundException ex)
            {
                throw ValidationException.For("flows", ex.Message);
            }

            var options = new SyncOptions
            {
                DryRun = body.DryRun,
                Force = body.Force,
                Since = since,
                Trigger = "api",
                Libraries = body.Libraries is { Count: > 0 } ? body.Libraries : null,
                Profiles = body.Profiles is { Count: > 0 } ? body.Profiles : null,
            };
            foreach (var flow in flows)
            {
                RunSteps.Narrow(flow, options);
            }

            var results = new List<SyncRunResult>();
            foreach (var flow in flows)
            {
                var report = await runner.RunAsync(flow, options, null, ct);
                results.Add(new SyncRunResult(report.Run, report.Features, report.Plan.Select(w => new SyncPlanEntry(w.ProfileId, w.ConnectionName, w.ItemId, w.Title, w.Feature, w.Action, w.Reason, w.SkipReason, report.Outcomes.GetValueOrDefault(w.IdempotencyKey))).ToList()));
            }

            return TypedResults.Ok(new SyncResponse(results));
        })
        .Accepts<SyncRequest>("application/json")
        .ProducesValidationProblem()
        .ProducesProblem(StatusCodes.Status409Conflict);

        var history = app.MapGroup("/api/profiles/{profile}/history").WithTags("History").ProducesProblem(StatusCodes.Status404NotFound);
        history.MapGet("/", async (string profile, long? item, int? limit, ProfileService profiles, ILedgerStore ledger, CancellationToken ct) =>
        {
            if (limit is < 1 or > 100_000)
            {
                throw ValidationException.For("limit", "'limit' must be between 1 and 100000.");
            }

            var found = await profiles.FindAsync(profile, ct);
            return TypedResults.Ok(await ledger.HistoryAsync(found.Id, item, limit ?? 500, ct));
        })
        .ProducesValidationProblem();
        history.MapDelete("/", async (string profile, string? scope, ProfileService profiles, ILedgerStore ledger, CancellationToken ct) =>
        {
            var (events, state) = (scope ?? "all").ToLowerInvariant() switch
            {
                "all" => (true, true),
                "history" => (true, false),
                "state" => (false, true),
                _ => throw ValidationException.For("scope", "'scope' must be all, history or state."),
            };
            var found = await profiles.FindAsync(profile, ct);
            return TypedResults.Ok(new DeletedRows(await ledger.DeleteProfileDataAsync(found.Id, events, state, ct)));
        })
        .ProducesValidationProblem();

        app.MapGroup("/api/unresolved").WithTags("Unresolved")
            .MapGet("/", async (IIdentityStore identity, CancellationToken ct) => TypedResults.Ok(await identity.ListUnresolvedAsync(ct)));
        return app;
    }
}
