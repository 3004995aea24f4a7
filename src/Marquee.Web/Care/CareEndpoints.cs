using Marquee.Core.Care;
using Marquee.Core.Validation;
using Marquee.Core.Webhooks;
using Marquee.Web.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Marquee.Web.Care;

/// <summary>A live session as <c>/api/sessions</c> shows it, with the rules it matches now.</summary>
public sealed record SessionView(
    string Connection, string SessionId, string? User, string? Device, string? Platform, string? Product, string Title, string? State, string? Library,
    string VideoDecision, string AudioDecision, int? SourceHeight, bool Remote, long? BandwidthKbps, DateTimeOffset? PausedSince, IReadOnlyList<string> Rules)
{
    public static IEnumerable<SessionView> Of(SessionEvaluation e) => e.Sessions.Select(m => new SessionView(
        e.Connection, m.Session.SessionId, m.Session.UserName, m.Session.Player, m.Session.Platform, m.Session.Product, m.Session.Title, m.Session.State, m.Session.LibraryTitle,
        m.Session.VideoDecision, m.Session.AudioDecision, m.Session.SourceHeight, m.Session.Remote, m.Session.BandwidthKbps, m.PausedSince, [.. m.Rules.Select(r => r.Name)]));
}

/// <summary>The current sessions and the latest actions.</summary>
public sealed record SessionsView(IReadOnlyList<SessionView> Sessions, IReadOnlyList<CareAction> Actions);

internal static class CareEndpoints
{
    public static IServiceCollection AddCare(this IServiceCollection services, bool run)
    {
        if (run)
        {
            services.AddHostedService(sp => sp.GetRequiredService<CareScheduler>());
            services.AddSingleton<ILiveEventSink>(sp => sp.GetRequiredService<CareScheduler>());
        }

        return services;
    }

    public static void MapCare(this IEndpointRouteBuilder app)
    {
        var sessions = app.MapGroup("/api/sessions").WithTags("Library care");
        sessions.MapGet("/", async (string? connection, int? limit, SessionRuleService rules, ICareStore store, CancellationToken ct) =>
        {
            var evaluations = await rules.EvaluateAsync("read", connection, ct, act: false);
            var actions = await store.ListActionsAsync(SessionRuleService.Kind, Limit(limit), ct);
            return TypedResults.Ok(new SessionsView([.. evaluations.SelectMany(SessionView.Of)], actions));
        }).ProducesValidationProblem();
        sessions.MapPost("/evaluate", async (string? connection, SessionRuleService rules, CancellationToken ct) =>
        {
            var evaluations = await rules.EvaluateAsync("api", connection, ct);
            return TypedResults.Ok(new SessionsView([.. evaluations.SelectMany(SessionView.Of)], [.. evaluations.SelectMany(e => e.Actions)]));
        }).ProducesValidationProblem();
        sessions.MapGet("/actions", async (int? limit, ICareStore store, CancellationToken ct) =>
            TypedResults.Ok(await store.ListActionsAsync(SessionRuleService.Kind, Limit(limit), ct)));

        var rulesGroup = app.MapGroup("/api/care/rules").WithTags("Library care").ProducesProblem(StatusCodes.Status404NotFound);
        rulesGroup.MapGet("/", async (SessionRuleService rules, CancellationToken ct) => TypedResults.Ok(await rules.ListAsync(ct)));
        rulesGroup.MapGet("/{name}", async (string name, SessionRuleService rules, CancellationToken ct) => TypedResults.Ok(await rules.GetAsync(name, ct)));
        rulesGroup.MapPut("/{name}", async (string name, HttpRequest request, SessionRuleService rules, CancellationToken ct) =>
        {
            var rule = await RequestBody.ReadAsync<SessionRule>(request, ct);
            if (rule.Name.Length > 0 && rule.Name != name)
            {
                throw ValidationException.For("name", $"The body names the rule '{rule.Name}', the path '{name}'.");
            }

            return TypedResults.Ok(await rules.SaveAsync(rule with { Name = name }, ct));
        }).Accepts<SessionRule>("application/json").ProducesValidationProblem();
        rulesGroup.MapDelete("/{name}", async (string name, SessionRuleService rules, CancellationToken ct) =>
        {
            await rules.DeleteAsync(name, ct);
            return TypedResults.NoContent();
        });

        var trashGroup = app.MapGroup("/api/trash").WithTags("Library care").ProducesProblem(StatusCodes.Status404NotFound);
        trashGroup.MapGet("/", async (string? connection, string? library, TrashService trash, CancellationToken ct) =>
            TypedResults.Ok(await trash.CountAsync(connection, library, ct))).ProducesValidationProblem();
        trashGroup.MapGet("/settings", async (TrashService trash, CancellationToken ct) => TypedResults.Ok(await trash.ListAsync(ct)));
        trashGroup.MapPut("/settings", async (HttpRequest request, TrashService trash, CancellationToken ct) =>
            TypedResults.Ok(await trash.SaveAsync(await RequestBody.ReadAsync<TrashSetting>(request, ct), ct)))
            .Accepts<TrashSetting>("application/json").ProducesValidationProblem();
        trashGroup.MapDelete("/settings/{library}", async (string library, TrashService trash, CancellationToken ct) =>
        {
            await trash.DeleteAsync(library, ct);
            return TypedResults.NoContent();
        });
        trashGroup.MapPost("/{library}/empty", async (string library, string? connection, int? maxItems, bool? dryRun, TrashService trash, CancellationToken ct) =>
            TypedResults.Ok(await trash.EmptyAsync(connection, library, maxItems, dryRun, "api", ct))).ProducesValidationProblem();
        trashGroup.MapGet("/actions", async (int? limit, ICareStore store, CancellationToken ct) =>
            TypedResults.Ok(await store.ListActionsAsync(TrashService.Kind, Limit(limit), ct)));
    }

    private static int Limit(int? limit) => limit switch
    {
        null => 50,
        < 1 or > 1000 => throw ValidationException.For("limit", "The limit is 1 to 1000."),
        { } n => n,
    };
}
