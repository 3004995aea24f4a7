using Marquee.Core.Connections;
using Marquee.Core.Providers;
using Marquee.Core.Scheduling;
using Marquee.Core.Validation;

namespace Marquee.Core.Flows;

/// <summary>Validates and stores flows.</summary>
public sealed class FlowService(IFlowStore store, ConnectionService connections, ProviderRegistry providers, TimeProvider clock)
{
    public static IReadOnlyList<string> DefaultFeatures { get; } = [FlowFeature.Watched, FlowFeature.Ratings, FlowFeature.Progress];

    public async Task<IReadOnlyList<Flow>> ListAsync(CancellationToken cancellationToken) => (await store.ListAsync(cancellationToken)).Select(WithDefaults).ToList();

    public async Task<Flow?> GetAsync(long id, CancellationToken cancellationToken) => await store.GetAsync(id, cancellationToken) is { } flow ? WithDefaults(flow) : null;

    public async Task<Flow> FindAsync(string idOrName, CancellationToken cancellationToken) =>
        WithDefaults(await IdOrName.FindAsync(idOrName, "flow", id => store.GetAsync(id, cancellationToken), name => store.FindByNameAsync(name, cancellationToken)));

    public async Task<Flow> CreateAsync(FlowInput input, CancellationToken cancellationToken)
    {
        var definition = await ValidateAsync(input, existing: null, cancellationToken);
        return WithDefaults(await store.InsertAsync(definition, clock.GetUtcNow(), cancellationToken)
            ?? throw new ConflictException("name", $"A flow named '{definition.Name}' already exists."));
    }

    /// <summary>Replaces the members given in <paramref name="input"/>; members left null keep their value. An update that changes nothing writes nothing.</summary>
    public async Task<Flow> UpdateAsync(string idOrName, FlowInput input, CancellationToken cancellationToken)
    {
        var existing = await FindAsync(idOrName, cancellationToken);
        var definition = await ValidateAsync(input, existing, cancellationToken);
        if (Same(definition, existing))
        {
            return existing;
        }

        if (!definition.Name.Equals(existing.Name, StringComparison.OrdinalIgnoreCase) && await store.FindByNameAsync(definition.Name, cancellationToken) is not null)
        {
            throw new ConflictException("name", $"A flow named '{definition.Name}' already exists.");
        }

        // A flow removed by a concurrent request is gone, not updated.
        var key = existing.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (!await store.UpdateAsync(existing.Id, definition, clock.GetUtcNow(), cancellationToken))
        {
            throw new NotFoundException("flow", key);
        }

        return WithDefaults(await store.GetAsync(existing.Id, cancellationToken) ?? throw new NotFoundException("flow", key));
    }

    public async Task DeleteAsync(string idOrName, CancellationToken cancellationToken)
    {
        var existing = await FindAsync(idOrName, cancellationToken);
        await store.DeleteAsync(existing.Id, cancellationToken);
    }

    /// <summary>A flow stored before it named its reconciliation (or without it) reconciles by default.</summary>
    private static Flow WithDefaults(Flow flow) =>
        flow with { Schedule = flow.Schedule ?? ReconcileSchedule.DefaultFull, Incremental = flow.Incremental ?? ReconcileSchedule.DefaultIncremental };

    private static string? CheckSchedule(string? given, string? current, string fallback, string field, List<FieldProblem> problems)
    {
        var value = given ?? current ?? fallback;
        if (!ReconcileSchedule.TryParse(value, field, out var schedule, out var error))
        {
            problems.Add(new FieldProblem(field, error));
            return null;
        }

        return schedule.Expression;
    }

    private static bool Same(FlowDefinition d, Flow f) =>
        d.Name == f.Name && d.SourceConnectionId == f.SourceConnectionId && d.TargetConnectionId == f.TargetConnectionId
        && d.TwoWay == f.TwoWay && d.Features.SequenceEqual(f.Features) && d.Mode == f.Mode && d.Schedule == f.Schedule && d.Incremental == f.Incremental
        && d.Enabled == f.Enabled && d.Guards == f.Guards
        && d.Filters.Libraries.SequenceEqual(f.Filters.Libraries) && d.Filters.Profiles.SequenceEqual(f.Filters.Profiles)
        && d.Filters.IgnoreGuidPrefixes.SequenceEqual(f.Filters.IgnoreGuidPrefixes) && d.Filters.RequireExternalIds == f.Filters.RequireExternalIds && d.Filters.Editions == f.Filters.Editions
        && d.Filters.WatchedLeavesWatchlist == f.Filters.WatchedLeavesWatchlist;

    private async Task<FlowDefinition> ValidateAsync(FlowInput input, Flow? existing, CancellationToken cancellationToken)
    {
        var problems = new List<FieldProblem>();
        var name = input.Name ?? existing?.Name;
        if (Names.Check(name) is { } nameProblem)
        {
            problems.Add(nameProblem);
        }

        var source = await ResolveConnectionAsync(input.From, existing?.SourceConnection, "from", problems, cancellationToken);
        var target = await ResolveConnectionAsync(input.To, existing?.TargetConnection, "to", problems, cancellationToken);
        if (source is not null && target is not null && source.Id == target.Id)
        {
            problems.Add(new FieldProblem("to", "'to' must be a different connection from 'from'."));
        }

        var features = new List<string>();
        foreach (var feature in input.Features ?? existing?.Features ?? DefaultFeatures)
        {
            var normalized = string.IsNullOrWhiteSpace(feature) ? null : FlowFeature.Normalize(feature);
            if (feature is null)
            {
                problems.Add(new FieldProblem("features", "'features' entries must be feature names, not null."));
            }
            else if (normalized is null)
            {
                problems.Add(new FieldProblem("features", $"Unknown feature '{feature}'; use {string.Join(", ", FlowFeature.All)}."));
            }
            else if (!features.Contains(normalized))
            {
                features.Add(normalized);
            }
        }

        if (features.Count == 0 && problems.Count == 0)
        {
            problems.Add(new FieldProblem("features", "A flow needs at least one feature."));
        }

        foreach (var (connection, field) in new[] { (source, "from"), (target, "to") })
        {
            if (connection is not null && providers.TryGet(connection.Kind, out var descriptor))
            {
                var unsupported = features.Where(f => !descriptor.Capabilities.Features.Contains(f)).ToList();
                if (unsupported.Contains(FlowFeature.Watchlist))
                {
                    // Accepting it would mean a flow that silently carries nothing for it.
                    problems.Add(new FieldProblem("features", $"Connection '{connection.Name}' ({connection.Kind}) keeps no watchlist: 'watchlist' syncs only between two connections that both keep one (Plex, through each plex.tv account's Discover watchlist, and Trakt); field '{field}'."));
                    unsupported.Remove(FlowFeature.Watchlist);
                }

                if (unsupported.Count > 0)
                {
                    problems.Add(new FieldProblem("features", $"Connection '{connection.Name}' ({connection.Kind}) cannot carry {string.Join(", ", unsupported)}; field '{field}'."));
                }
            }
        }

        if (features.Contains(FlowFeature.Watchlist) && source is not null && target is not null && source.Kind == target.Kind && source.Kind == "plex")
        {
            problems.Add(new FieldProblem("features", "'watchlist' cannot go from one Plex server to another: Plex keeps one watchlist per plex.tv account, shared by all of that account's servers, so both sides would read the same list."));
        }

        var mode = (input.Mode ?? existing?.Mode ?? FlowMode.Mirror).Trim().ToLowerInvariant();
        if (!FlowMode.All.Contains(mode))
        {
            problems.Add(new FieldProblem("mode", $"Unknown mode '{input.Mode}'; use {string.Join(" or ", FlowMode.All)}."));
        }

        var schedule = CheckSchedule(input.Schedule, existing?.Schedule, ReconcileSchedule.DefaultFull, "schedule", problems);
        var incremental = CheckSchedule(input.Incremental, existing?.Incremental, ReconcileSchedule.DefaultIncremental, "incremental", problems);

        var guards = input.Guards ?? existing?.Guards ?? new FlowGuards();
        if (guards.MaxRemovals < 0)
        {
            problems.Add(new FieldProblem("guards.maxRemovals", "'guards.maxRemovals' must be 0 or more."));
        }

        if (guards.MaxRemovalPercent is < 0 or > 100 || double.IsNaN(guards.MaxRemovalPercent))
        {
            problems.Add(new FieldProblem("guards.maxRemovalPercent", "'guards.maxRemovalPercent' must be between 0 and 100."));
        }

        var filters = input.Filters ?? existing?.Filters ?? new FlowFilters();
        if (filters.Libraries is null || filters.Profiles is null || filters.IgnoreGuidPrefixes is null)
        {
            problems.Add(new FieldProblem("filters", "'filters' lists must be arrays, not null."));
        }
        else
        {
            foreach (var (list, field) in new[] { (filters.Libraries, "filters.libraries"), (filters.Profiles, "filters.profiles"), (filters.IgnoreGuidPrefixes, "filters.ignoreGuidPrefixes") })
            {
                if (list.Any(string.IsNullOrWhiteSpace))
                {
                    problems.Add(new FieldProblem(field, $"'{field}' entries must be non-empty text, not null."));
                }
            }
        }

        if (filters.Editions is null || !EditionPolicy.All.Contains(filters.Editions))
        {
            problems.Add(new FieldProblem("filters.editions", $"'filters.editions' must be one of {string.Join(", ", EditionPolicy.All)}."));
        }

        if (problems.Count > 0)
        {
            throw new ValidationException(problems);
        }

        return new FlowDefinition(
            name!,
            source!.Id,
            target!.Id,
            input.TwoWay ?? existing?.TwoWay ?? false,
            features,
            mode,
            schedule,
            filters,
            guards,
            input.Enabled ?? existing?.Enabled ?? true)
        {
            Incremental = incremental,
        };
    }

    private async Task<StoredConnection?> ResolveConnectionAsync(string? given, string? current, string field, List<FieldProblem> problems, CancellationToken cancellationToken)
    {
        var idOrName = given ?? current;
        if (string.IsNullOrWhiteSpace(idOrName))
        {
            problems.Add(new FieldProblem(field, $"'{field}' is required (a connection name or id)."));
            return null;
        }

        try
        {
            return await connections.FindAsync(idOrName, cancellationToken);
        }
        catch (NotFoundException)
        {
            problems.Add(new FieldProblem(field, $"'{field}' names no connection: '{idOrName}'."));
            return null;
        }
    }
}
