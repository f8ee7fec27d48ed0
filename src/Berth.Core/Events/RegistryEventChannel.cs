using System.Threading.Channels;

namespace Berth.Core.Events;

/// <summary>
/// The in-process queue between the write path and the handlers: bounded, so a stuck handler costs a counted drop
/// rather than memory. Handlers that must not lose events (notifications) keep their own durable outbox.
/// </summary>
public sealed class RegistryEventChannel(IRequestContextAccessor requestContext) : IRegistryEventSink
{
    public const int Capacity = 65_536;

    public RegistryEventChannel()
        : this(NoRequestContext.Instance)
    {
    }

    private readonly Channel<RegistryEvent> _channel = Channel.CreateBounded<RegistryEvent>(new BoundedChannelOptions(Capacity)
    {
        SingleReader = true,
        // With Wait, TryWrite answers false when full (DropWrite would drop silently and answer true).
        FullMode = BoundedChannelFullMode.Wait,
    });

    private long _dropped;

    public ChannelReader<RegistryEvent> Reader => _channel.Reader;

    /// <summary>Events refused because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public void Publish(RegistryEvent registryEvent)
    {
        // Stamped here, on the publishing request's flow, so every event (writes and pulls) carries its origin.
        if (registryEvent.Origin is null && requestContext.Current is { } origin)
        {
            registryEvent = registryEvent with { Origin = origin };
        }

        if (!_channel.Writer.TryWrite(registryEvent))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    /// <summary>No more events; the reader drains what is queued, then ends.</summary>
    public void Complete() => _channel.Writer.TryComplete();
}
