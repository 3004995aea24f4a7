using System.Threading.Channels;
using Marquee.Core.Live;
using Marquee.Core.Webhooks;

namespace Marquee.Web.Tests.Providers.Fake;

/// <summary>
/// The live path of the provider that exists only in the tests: its server's event stream, fed by the test with
/// messages in the shape of its webhook (<c>{"event":"playing","user":…,"item":…}</c>). What it sees goes to the
/// publisher like the Plex stream's events: stored once, then handed to every consumer.
/// </summary>
public sealed class FakeLiveEventSource(TimeProvider clock) : ILiveEventSource
{
    private readonly Channel<byte[]> _stream = Channel.CreateUnbounded<byte[]>();

    public string Kind => FakeWebhookFormat.Kind;

    /// <summary>A message on the fake server's event stream.</summary>
    public void Send(string message) => _stream.Writer.TryWrite(System.Text.Encoding.UTF8.GetBytes(message));

    public async Task RunAsync(ILiveEventPublisher publisher, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var message in _stream.Reader.ReadAllAsync(cancellationToken))
            {
                var (name, user, item) = FakeWebhookFormat.Parse(message);
                var e = new LiveEvent(Kind, LiveEventOrigin.EventStream, null, user, null, item, null, "movie", FakeWebhookFormat.KindOf(name), null, clock.GetUtcNow())
                {
                    EventType = name,
                    SourceEvent = name,
                };
                await publisher.PublishAsync([e], cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
