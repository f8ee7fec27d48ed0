namespace Berth.Core.Collection;

/// <summary>registry:2's <c>garbage-collect</c> flags.</summary>
public sealed record CollectionOptions(bool DryRun, bool DeleteUntagged);
