using System.Collections.Concurrent;
using Marquee.Core.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace Marquee.Web.Tests.Webhooks;

/// <summary>A consumer registered by a test beside sync: keeps every live event it is given, as a notifier would get them.</summary>
internal sealed class RecordingSink : ILiveEventSink
{
    private readonly ConcurrentQueue<LiveEvent> _events = new();

    public IReadOnlyList<LiveEvent> Events => [.. _events];

    public Task PublishAsync(IReadOnlyList<LiveEvent> events, CancellationToken cancellationToken)
    {
        foreach (var e in events)
        {
            _events.Enqueue(e);
        }

        return Task.CompletedTask;
    }

    /// <summary>Registers the sink in the host as one more consumer.</summary>
    public void Register(IServiceCollection services) => services.AddSingleton<ILiveEventSink>(this);

    /// <summary>Waits for an event that matches; fails naming <paramref name="what"/> and listing what arrived.</summary>
    public async Task<LiveEvent> WaitAsync(Func<LiveEvent, bool> match, string what, TimeSpan? timeout = null)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (watch.Elapsed < (timeout ?? TimeSpan.FromSeconds(20)))
        {
            if (Events.FirstOrDefault(match) is { } found)
            {
                return found;
            }

            await Task.Delay(50);
        }

        Assert.Fail($"No {what} reached the consumer; it got: " + string.Join("; ", Events.Select(e => $"{e.Origin} {e.Kind} {e.SourceEvent} {e.LocalKey}")));
        return null!;
    }
}
