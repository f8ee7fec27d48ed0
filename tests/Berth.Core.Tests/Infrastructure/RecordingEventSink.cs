using Berth.Core.Events;

namespace Berth.Core.Tests.Infrastructure;

/// <summary>Captures the write path's events synchronously, in the order they were published.</summary>
internal sealed class RecordingEventSink : IRegistryEventSink
{
    private readonly List<RegistryEvent> _events = [];

    public IReadOnlyList<RegistryEvent> Events
    {
        get
        {
            lock (_events)
            {
                return [.. _events];
            }
        }
    }

    public void Publish(RegistryEvent registryEvent)
    {
        lock (_events)
        {
            _events.Add(registryEvent);
        }
    }

    public void Clear()
    {
        lock (_events)
        {
            _events.Clear();
        }
    }
}
