namespace Berth.Core.Events;

/// <summary>Where the write path announces what it did. Publishing never blocks or fails the request that caused it.</summary>
public interface IRegistryEventSink
{
    void Publish(RegistryEvent registryEvent);
}
