namespace Berth.Core.Storage;

public sealed record StorageEntry(string Path, long Size, DateTimeOffset LastModified, bool IsDirectory);
