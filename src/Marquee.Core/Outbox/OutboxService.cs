using System.Text.Json;
using Marquee.Core.Providers;
using Marquee.Core.Storage;
using Marquee.Core.Validation;

namespace Marquee.Core.Outbox;

/// <summary>
/// The one way a write to an external system that is not a sync write (a notification, a label edit, an unmonitor, a
/// session kill) leaves Marquee: checked by its kind's handler, stored with its payload encrypted, and only then
/// acknowledged; the <see cref="OutboxDispatcher"/> delivers it.
/// </summary>
public sealed class OutboxService(IOutboxStore store, IEnumerable<IOutboxHandler> handlers, ISecretProtector protector, OutboxSignal signal, TimeProvider clock)
{
    public const int MaxKeyLength = 200;

    private readonly Dictionary<string, IOutboxHandler> _handlers = handlers.ToDictionary(h => h.Kind, StringComparer.Ordinal);

    public IReadOnlyCollection<string> Kinds => _handlers.Keys;

    /// <summary>
    /// Stores a delivery and returns it once it is committed; the same idempotency key again returns the stored one
    /// (<c>Created</c> false) and stores nothing. Throws <see cref="ValidationException"/> naming the field at fault.
    /// Deliveries to one target with the same <paramref name="orderKey"/> go in order; with none, the target's
    /// deliveries without a key go in order.
    /// </summary>
    public async Task<(OutboxMessage Message, bool Created)> EnqueueAsync(
        string? kind,
        string idempotencyKey,
        JsonElement payload,
        string? target = null,
        long? connectionId = null,
        string? orderKey = null,
        CancellationToken cancellationToken = default)
    {
        var problems = new List<FieldProblem>();
        if (string.IsNullOrWhiteSpace(idempotencyKey) || idempotencyKey.Length > MaxKeyLength || idempotencyKey.Any(char.IsControl))
        {
            problems.Add(new FieldProblem("idempotencyKey", $"The idempotency key must be 1 to {MaxKeyLength} printable characters."));
        }

        if (target is not null && (target.Length is 0 or > 200 || target.Any(char.IsControl)))
        {
            problems.Add(new FieldProblem("target", "The target must be 1 to 200 printable characters."));
        }

        if (orderKey is not null && (orderKey.Length > MaxKeyLength || orderKey.Any(char.IsControl)))
        {
            problems.Add(new FieldProblem("orderKey", $"The order key must be at most {MaxKeyLength} printable characters."));
        }

        if (!_handlers.TryGetValue(kind ?? string.Empty, out var handler))
        {
            var known = string.Join(", ", _handlers.Keys.Order(StringComparer.Ordinal));
            problems.Add(new FieldProblem("kind", string.IsNullOrEmpty(kind) ? $"The kind is required; known: {known}." : $"Unknown outbox kind '{kind}'; known: {known}."));
        }
        else if (payload.ValueKind != JsonValueKind.Object)
        {
            problems.Add(new FieldProblem("payload", "The payload must be a JSON object."));
        }
        else
        {
            problems.AddRange(handler.Validate(payload));
        }

        if (problems.Count > 0)
        {
            throw new ValidationException(problems);
        }

        var entry = new OutboxEntry(kind!, idempotencyKey, target ?? handler!.Target(payload), handler!.Describe(payload), protector.Protect(payload.GetRawText()), connectionId, orderKey ?? string.Empty);
        var stored = await store.EnqueueAsync(entry, clock.GetUtcNow(), cancellationToken);
        if (stored.Created)
        {
            signal.Notify();
        }

        return stored;
    }

    public async Task<OutboxMessage> GetAsync(long id, CancellationToken cancellationToken) =>
        await store.GetAsync(id, cancellationToken) ?? throw new NotFoundException("outbox delivery", id.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Lists deliveries, newest first; <paramref name="status"/> must be one of <see cref="OutboxStatus.All"/>.</summary>
    public Task<IReadOnlyList<OutboxMessage>> ListAsync(string? status, int limit, CancellationToken cancellationToken)
    {
        if (status is not null && !OutboxStatus.All.Contains(status, StringComparer.Ordinal))
        {
            throw ValidationException.For("status", $"Unknown status '{status}'; use one of: {string.Join(", ", OutboxStatus.All)}.");
        }

        if (limit is < 1 or > 10_000)
        {
            throw ValidationException.For("limit", "The limit must be between 1 and 10000.");
        }

        return store.ListAsync(status, limit, cancellationToken);
    }

    public Task<OutboxCounts> CountAsync(CancellationToken cancellationToken) => store.CountAsync(clock.GetUtcNow(), cancellationToken);

    /// <summary>Makes a dead-lettered delivery due again now, with its attempts reset (a pending one is made due now).</summary>
    public async Task<OutboxMessage> RetryAsync(long id, CancellationToken cancellationToken)
    {
        var message = await GetAsync(id, cancellationToken);
        if (!await store.RetryAsync(id, clock.GetUtcNow(), cancellationToken))
        {
            throw new ConflictException("id", $"Outbox delivery {id} is {message.Status}; only failed or pending deliveries can be retried.");
        }

        signal.Notify();
        return await GetAsync(id, cancellationToken);
    }

    /// <summary>Parses a route or command-line id; anything that is not a positive number names no delivery.</summary>
    public static long ParseId(string text) =>
        long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) && id > 0
            ? id
            : throw new NotFoundException("outbox delivery", text);

    internal IOutboxHandler? Handler(string kind) => _handlers.GetValueOrDefault(kind);

    internal string Unprotect(string payload) => protector.Unprotect(payload);
}
