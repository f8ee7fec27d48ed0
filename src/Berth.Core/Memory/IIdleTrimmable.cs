namespace Berth.Core.Memory;

/// <summary>
/// Something that keeps buffers between requests so a busy server does not allocate them again, and can let them
/// go when the server falls quiet. The host's idle reclaimer calls every registered one before its full collection.
/// </summary>
public interface IIdleTrimmable
{
    /// <summary>Drops every idle buffer; buffers in use come back later and are kept again.</summary>
    void TrimIdle();
}
