using Marquee.Core.Labels;
using Marquee.Web.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Marquee.Web.Labels;

/// <summary>What <c>POST /api/labels/sync</c> and <c>/remove-all</c> answer: counts, source failures and each edit.</summary>
public sealed record LabelRunView(
    bool DryRun,
    int Items,
    int Users,
    int Changes,
    int Edited,
    IReadOnlyList<string> Failed,
    IReadOnlyList<LabelSourceFailure> SourceFailures,
    IReadOnlyList<LabelEditView> Edits,
    int Pending,
    int PendingResolved)
{
    public static LabelRunView Of(LabelSyncReport r) => new(
        r.DryRun, r.Items, r.Users, r.Planned.Count, r.Edited, r.Failed, r.SourceFailures, [.. r.Planned.Select(e => new LabelEditView(e.Target.LocalKey, e.Target.Title, e.Added, e.Removed))], r.Pending, r.PendingResolved);
}

/// <summary>One item's change.</summary>
public sealed record LabelEditView(string Key, string? Title, IReadOnlyList<string> Added, IReadOnlyList<string> Removed);

internal static class LabelEndpoints
{
    public static IServiceCollection AddLabels(this IServiceCollection services, bool run)
    {
        if (run)
        {
            services.AddHostedService(sp => sp.GetRequiredService<LabelScheduler>());
            services.AddSingleton<Marquee.Core.Webhooks.ILiveEventSink>(sp => sp.GetRequiredService<LabelScheduler>());
        }

        return services;
    }

    public static void MapLabels(this IEndpointRouteBuilder app)
    {
        var labels = app.MapGroup("/api/labels").WithTags("Label sync");
        labels.MapGet("/settings", async (LabelSyncService service, CancellationToken ct) => TypedResults.Ok(await service.GetSettingsAsync(ct)));
        labels.MapPut("/settings", async (HttpRequest request, LabelSyncService service, CancellationToken ct) =>
            TypedResults.Ok(await service.SaveSettingsAsync(await RequestBody.ReadAsync<LabelSettings>(request, ct), ct)))
            .Accepts<LabelSettings>("application/json").ProducesValidationProblem();
        labels.MapGet("/status", (LabelRunState state) => TypedResults.Ok(state.Progress));
        labels.MapGet("/pending", async (LabelSyncService service, CancellationToken ct) => TypedResults.Ok(await service.GetPendingAsync(ct)));
        labels.MapPost("/sync", async (bool? dryRun, LabelSyncService service, CancellationToken ct) =>
            TypedResults.Ok(LabelRunView.Of(await service.SyncAsync(dryRun ?? false, null, ct)))).ProducesValidationProblem();
        labels.MapPost("/remove-all", async (bool? dryRun, LabelSyncService service, CancellationToken ct) =>
            TypedResults.Ok(LabelRunView.Of(await service.RemoveAllAsync(dryRun ?? false, null, ct)))).ProducesValidationProblem();
    }
}
