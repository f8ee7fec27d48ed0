namespace Berth.Core.Collection;

/// <summary>Where a collection began in the guard's sequence of released holds.</summary>
internal readonly record struct CollectionEpoch(long Sequence);
