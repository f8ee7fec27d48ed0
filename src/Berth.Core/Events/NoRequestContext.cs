namespace Berth.Core.Events;

/// <summary>The accessor for hosts without requests (the offline garbage collector, unit tests).</summary>
public sealed class NoRequestContext : IRequestContextAccessor
{
    public static readonly NoRequestContext Instance = new();

    public EventOrigin? Current => null;
}
