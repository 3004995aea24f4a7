using System.Text.Json;
using Marquee.Core.Connections;
using Marquee.Core.Notifications;
using Marquee.Core.Providers;
using Marquee.Core.Scheduling;
using Marquee.Core.Sync;
using Marquee.Core.Validation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Marquee.Core.Care;

/// <summary>Emptying one library's trash: when (cron, or a frequency and a time of day), and the most items it may delete.</summary>
public sealed record TrashSetting
{
    /// <summary>Gets the library (title or key).</summary>
    public string Library { get; init; } = string.Empty;

    public string? Connection { get; init; }

    /// <summary>Gets a five-field cron expression (UTC); or use <see cref="Frequency"/> and <see cref="At"/>.</summary>
    public string? Schedule { get; init; }

    /// <summary>Gets <c>hourly</c>, <c>daily</c> or <c>weekly</c> (Sundays).</summary>
    public string? Frequency { get; init; }

    /// <summary>Gets the time of day (UTC, HH:mm) for <see cref="Frequency"/>; the minute for hourly.</summary>
    public string? At { get; init; }

    /// <summary>Gets the most items emptying may delete; above it Marquee refuses and notifies.</summary>
    public int MaxItems { get; init; } = 50;

    public bool DryRun { get; init; }

    public bool Enabled { get; init; } = true;

    /// <summary>Gets the name the setting is stored under: the connection (when named) and the library.</summary>
    public string Key => (Connection is { Length: > 0 } c ? c + "/" : string.Empty) + Library.ToLowerInvariant();

    /// <summary>Gets the cron expression the schedule stands for, or null when there is none (emptied only on demand).</summary>
    public string? Cron()
    {
        if (Schedule is { Length: > 0 } schedule)
        {
            return schedule;
        }

        if (Frequency is null)
        {
            return null;
        }

        var at = TimeOfDaySchedule.TryParseTime(At ?? "03:00", out var time) ? time : TimeSpan.FromHours(3);
        return Frequency switch
        {
            "hourly" => $"{at.Minutes} * * * *",
            "daily" => TimeOfDaySchedule.ToCron(at, []),
            "weekly" => TimeOfDaySchedule.ToCron(at, [DayOfWeek.Sunday]),
            _ => null,
        };
    }

    public IReadOnlyList<FieldProblem> Validate()
    {
        var problems = new List<FieldProblem>();
        if (string.IsNullOrWhiteSpace(Library))
        {
            problems.Add(new FieldProblem("library", "'library' is required."));
        }

        if (MaxItems < 0)
        {
            problems.Add(new FieldProblem("maxItems", "The maximum cannot be negative."));
        }

        if (Schedule is not null && Frequency is not null)
        {
            problems.Add(new FieldProblem("schedule", "Give either a cron schedule or a frequency with a time, not both."));
        }

        if (Schedule is not null && !CronSchedule.TryParse(Schedule, out _, out var error))
        {
            problems.Add(new FieldProblem("schedule", error));
        }

        if (Frequency is not (null or "hourly" or "daily" or "weekly"))
        {
            problems.Add(new FieldProblem("frequency", $"'{Frequency}' is not a frequency: use hourly, daily or weekly."));
        }

        if (At is not null && !TimeOfDaySchedule.TryParseTime(At, out _))
        {
            problems.Add(new FieldProblem("at", $"'{At}' is not a time of day: use HH:mm (UTC)."));
        }

        if (At is not null && Frequency is null)
        {
            problems.Add(new FieldProblem("frequency", "A time of day needs a frequency (hourly, daily or weekly)."));
        }

        return problems;
    }
}

/// <summary>A library's trash as the server counts it, with its setting.</summary>
public sealed record TrashStatus(string Connection, string Library, string LibraryKey, int Count, TrashSetting? Setting);

/// <summary>
/// Empties a library's trash only when the count read from the server just before is at most the maximum: above it,
/// nothing is deleted and a notification and a log line give the count (a failed drive makes a whole library "deleted").
/// A count or an empty call that fails empties nothing and is not retried.
/// </summary>
public sealed partial class TrashService(
    IServiceScopeFactory scopes,
    ICareStore store,
    NotificationService notifications,
    TimeProvider clock,
    ILogger<TrashService> logger)
{
    public const string Kind = "trash";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<IReadOnlyList<TrashSetting>> ListAsync(CancellationToken cancellationToken) =>
        [.. (await store.ListSettingsAsync(Kind, cancellationToken)).Select(b => JsonSerializer.Deserialize<TrashSetting>(b, Json)!)];

    public async Task<TrashSetting> SaveAsync(TrashSetting setting, CancellationToken cancellationToken)
    {
        var problems = setting.Validate();
        if (problems.Count > 0)
        {
            throw new ValidationException(problems);
        }

        // The library must exist on the connection.
        await using (var scope = scopes.CreateAsyncScope())
        {
            var (connection, maintenance) = await OpenAsync(scope, setting.Connection, cancellationToken);
            await LibraryAsync(connection, maintenance, setting.Library, cancellationToken);
        }

        await store.PutSettingAsync(Kind, setting.Key, JsonSerializer.Serialize(setting, Json), clock.GetUtcNow(), cancellationToken);
        return setting;
    }

    public async Task DeleteAsync(string library, CancellationToken cancellationToken)
    {
        var setting = (await ListAsync(cancellationToken)).FirstOrDefault(s => s.Library.Equals(library, StringComparison.OrdinalIgnoreCase) || s.Key == library)
            ?? throw new NotFoundException("trash setting", library);
        await store.DeleteSettingAsync(Kind, setting.Key, cancellationToken);
    }

    /// <summary>Counts the trash of every movie and show library (or of <paramref name="library"/>).</summary>
    public async Task<IReadOnlyList<TrashStatus>> CountAsync(string? connectionName, string? library, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var (connection, maintenance) = await OpenAsync(scope, connectionName, cancellationToken);
        var settings = await ListAsync(cancellationToken);
        var libraries = library is null
            ? (await ((ILibraryDirectory)maintenance).ListLibrariesAsync(Owner, cancellationToken)).Where(l => l.Type is "movie" or "show").ToList()
            : [await LibraryAsync(connection, maintenance, library, cancellationToken)];
        var result = new List<TrashStatus>();
        foreach (var l in libraries)
        {
            var count = await maintenance.CountTrashAsync(l.Key, cancellationToken);
            result.Add(new TrashStatus(connection.Name, l.Title, l.Key, count, settings.FirstOrDefault(s => Is(s, l))));
        }

        return result;
    }

    /// <summary>Empties one library's trash now, with its setting's maximum (or <paramref name="maxItems"/>), or records what it would do.</summary>
    public async Task<CareAction> EmptyAsync(string? connectionName, string library, int? maxItems, bool? dryRun, string trigger, CancellationToken cancellationToken)
    {
        if (maxItems < 0)
        {
            throw ValidationException.For("maxItems", "The maximum cannot be negative.");
        }

        await using var scope = scopes.CreateAsyncScope();
        var (connection, maintenance) = await OpenAsync(scope, connectionName, cancellationToken);
        var found = await LibraryAsync(connection, maintenance, library, cancellationToken);
        var setting = (await ListAsync(cancellationToken)).FirstOrDefault(s => Is(s, found));
        var max = maxItems ?? setting?.MaxItems ?? new TrashSetting().MaxItems;
        var dry = dryRun ?? setting?.DryRun ?? false;
        var rule = setting?.Key ?? "manual";
        var now = clock.GetUtcNow();
        CareAction Record(string action, string? message, string outcome, int? count) =>
            new(0, now, Kind, connection.Name, found.Key, null, null, found.Title, rule, action, message, outcome, count);

        int count;
        try
        {
            count = await maintenance.CountTrashAsync(found.Key, cancellationToken);
        }
        catch (ProviderException ex)
        {
            Log.Failed(logger, found.Title, ex.Message);
            return await store.AddActionAsync(Record("empty", "Counting the trash failed, so nothing was emptied: " + ex.Message, "failed: " + ex.Message, null), cancellationToken);
        }

        if (count > max)
        {
            var reason = $"The trash of {found.Title} holds {count} items, more than the maximum of {max}: nothing was deleted. Check that the library's drive is mounted.";
            Log.Refused(logger, found.Title, count, max, trigger);
            var refused = await store.AddActionAsync(Record("refuse", reason, "refused", count), cancellationToken);
            await NotifyAsync(refused, found.Title, reason, cancellationToken);
            return refused;
        }

        if (dry || count == 0)
        {
            var message = count == 0 ? "The trash is empty." : $"Would delete {count} items.";
            return await store.AddActionAsync(Record("empty", message, dry ? "dry-run" : "done", count), cancellationToken);
        }

        try
        {
            await maintenance.EmptyTrashAsync(found.Key, cancellationToken);
        }
        catch (ProviderException ex)
        {
            // Not retried: the count read before may be stale by the time a retry would run.
            Log.Failed(logger, found.Title, ex.Message);
            return await store.AddActionAsync(Record("empty", "Emptying failed and was not retried: " + ex.Message, "failed: " + ex.Message, count), cancellationToken);
        }

        Log.Emptied(logger, found.Title, count, trigger);
        return await store.AddActionAsync(Record("empty", $"Deleted {count} items.", "done", count), cancellationToken);
    }

    private static ProviderAccount Owner => new("owner", "owner", Account.KindOwner);

    private static bool Is(TrashSetting s, ProviderLibrary l) =>
        s.Library.Equals(l.Title, StringComparison.OrdinalIgnoreCase) || s.Library == l.Key;

    private static async Task<ProviderLibrary> LibraryAsync(StoredConnection connection, ILibraryMaintenance maintenance, string library, CancellationToken cancellationToken)
    {
        var libraries = await ((ILibraryDirectory)maintenance).ListLibrariesAsync(Owner, cancellationToken);
        return libraries.FirstOrDefault(l => l.Title.Equals(library, StringComparison.OrdinalIgnoreCase) || l.Key == library)
            ?? throw ValidationException.For("library", $"Connection '{connection.Name}' has no library '{library}'; known: {string.Join(", ", libraries.Select(l => l.Title))}.");
    }

    private static async Task<(StoredConnection Connection, ILibraryMaintenance Maintenance)> OpenAsync(AsyncServiceScope scope, string? connectionName, CancellationToken cancellationToken)
    {
        var connections = scope.ServiceProvider.GetRequiredService<ConnectionService>();
        var connection = await SessionRuleService.ResolveConnectionAsync(connections, connectionName, "connection", cancellationToken);
        var side = await scope.ServiceProvider.GetRequiredService<ProviderFactory>().CreateAsync(connection.Id, cancellationToken);
        return side.Provider is ILibraryMaintenance maintenance and ILibraryDirectory
            ? (connection, maintenance)
            : throw ValidationException.For("connection", $"Connection '{connection.Name}' ({connection.Kind}) cannot empty a library's trash.");
    }

    private async Task NotifyAsync(CareAction action, string library, string reason, CancellationToken cancellationToken)
    {
        foreach (var channel in (await notifications.ListAsync(cancellationToken)).Where(c => c.Enabled && c.Triggers.Contains(NotificationTriggers.TrashRefused, StringComparer.Ordinal)))
        {
            var variables = new Dictionary<string, object?>(StringComparer.Ordinal) { ["library"] = library, ["reason"] = reason, ["server"] = action.Connection };
            await notifications.EnqueueAsync(channel, NotificationTriggers.TrashRefused, variables, $"care:{action.Id}:{channel.Id}", action.At, cancellationToken);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Trash of {Library} not emptied: {Count} items, more than the maximum of {Max} (on {Trigger})")]
        public static partial void Refused(ILogger logger, string library, int count, int max, string trigger);

        [LoggerMessage(2, LogLevel.Information, "Trash of {Library} emptied: {Count} items (on {Trigger})")]
        public static partial void Emptied(ILogger logger, string library, int count, string trigger);

        [LoggerMessage(3, LogLevel.Warning, "Trash of {Library} not emptied: {Reason}")]
        public static partial void Failed(ILogger logger, string library, string reason);
    }
}
