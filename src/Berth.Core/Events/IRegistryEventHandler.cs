namespace Berth.Core.Events;

/// <summary>
/// A subscriber to the domain events, registered in the service collection. Handlers run off the request, one event
/// at a time in the order the events were published; a handler that throws is logged and does not stop the others.
/// </summary>
public interface IRegistryEventHandler
{
    ValueTask HandleAsync(RegistryEvent registryEvent, CancellationToken cancellationToken);
}
