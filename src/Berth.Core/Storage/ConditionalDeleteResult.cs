namespace Berth.Core.Storage;

/// <summary>What <see cref="IStorageDriver.DeleteIfUnmodifiedSinceAsync"/> found.</summary>
public enum ConditionalDeleteResult
{
    Deleted,

    /// <summary>The object was written or touched after the cutoff and was left alone.</summary>
    ModifiedSince,

    Missing,
}
