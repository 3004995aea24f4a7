using System.Collections.Concurrent;
using Marquee.Core.Connections;
using Marquee.Core.Providers;
using Marquee.Core.Sync;
using Marquee.Hosting;

namespace Marquee.Web.Ui;

/// <summary>
/// The dashboard's reads of each server's playing sessions, shared by every page view: a connection's last read (its
/// sessions, or why they could not be read) is shown for Marquee:Ui:NowPlayingCacheSeconds, and views that come while a
/// read is under way wait for that read instead of sending their own. It holds one entry per connection; the entries of
/// removed connections are dropped at the next view, and an edited connection is read again.
/// </summary>
internal sealed class SessionReads(ProviderFactory factory, TimeProvider clock, MarqueeOptions options)
{
    /// <summary>How long a server gets to answer; one that does not is shown as unreachable, and the page is not held up.</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(3);

    private readonly ConcurrentDictionary<long, Entry> _entries = new();
    private readonly TimeSpan _keep = TimeSpan.FromSeconds(options.Ui.NowPlayingCacheSeconds);

    /// <summary>
    /// The sessions of every connection whose server lists them, by connection id. <paramref name="cancellationToken"/>
    /// stops only this view's wait: the reads themselves go on for the views that share them.
    /// </summary>
    public async Task<Dictionary<long, SessionRead>> ReadAsync(IReadOnlyList<StoredConnection> stored, CancellationToken cancellationToken)
    {
        var current = stored.Select(c => c.Id).ToHashSet();
        foreach (var (id, _) in _entries)
        {
            if (!current.Contains(id))
            {
                _entries.TryRemove(id, out _);
            }
        }

        var reads = await Task.WhenAll(stored.Select(c => Shared(c).WaitAsync(cancellationToken)));
        return reads.Where(r => r.Read is not null).ToDictionary(r => r.Id, r => r.Read!);
    }

    /// <summary>The connection's read under way or still fresh, or a new one when there is none.</summary>
    private Task<Outcome> Shared(StoredConnection connection)
    {
        while (true)
        {
            if (_entries.TryGetValue(connection.Id, out var entry) && entry.IsFresh(connection, clock.GetUtcNow(), _keep))
            {
                return entry.Read.Value;
            }

            // Only the entry that makes it into the dictionary starts its read (Lazy), so two views at once send one request.
            var next = new Entry(connection, ReadOneAsync, clock);
            if (entry is null ? _entries.TryAdd(connection.Id, next) : _entries.TryUpdate(connection.Id, next, entry))
            {
                return next.Read.Value;
            }
        }
    }

    private async Task<Outcome> ReadOneAsync(StoredConnection connection)
    {
        // Not the page's token: a view that goes away must not cut short a read that other views wait for.
        using var limit = new CancellationTokenSource(Limit);
        SessionRead? read;
        try
        {
            var side = await factory.CreateAsync(connection.Id, limit.Token);
            read = side.Provider is ISessionManager sessions ? new SessionRead(await sessions.ListSessionsAsync(limit.Token), null) : null;
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested)
        {
            read = new SessionRead([], $"no answer within {Limit.TotalSeconds:0} s");
        }
        catch (Exception ex)
        {
            read = new SessionRead([], ex.Message);
        }

        return new Outcome(connection.Id, read);
    }

    /// <summary>One connection's read: null when its server does not list sessions.</summary>
    private sealed record Outcome(long Id, SessionRead? Read);

    /// <summary>A read, under way or done, of a connection as it was when the read was asked for.</summary>
    private sealed class Entry
    {
        private readonly DateTimeOffset _updatedAt;
        private long _doneAt = long.MaxValue;

        public Entry(StoredConnection connection, Func<StoredConnection, Task<Outcome>> readAsync, TimeProvider clock)
        {
            _updatedAt = connection.UpdatedAt;
            Read = new Lazy<Task<Outcome>>(async () =>
            {
                try
                {
                    return await readAsync(connection);
                }
                finally
                {
                    Interlocked.Exchange(ref _doneAt, clock.GetUtcNow().UtcTicks);
                }
            });
        }

        /// <summary>Gets the read; the first to ask for it starts it.</summary>
        public Lazy<Task<Outcome>> Read { get; }

        /// <summary>
        /// Under way, or done less than <paramref name="keep"/> before <paramref name="now"/> (a read that threw is never kept),
        /// and the connection unchanged since.
        /// </summary>
        public bool IsFresh(StoredConnection connection, DateTimeOffset now, TimeSpan keep)
        {
            var doneAt = Interlocked.Read(ref _doneAt);
            return connection.UpdatedAt == _updatedAt
                && Read.Value is { IsFaulted: false, IsCanceled: false }
                && (doneAt == long.MaxValue || now.UtcTicks - doneAt < keep.Ticks);
        }
    }
}
