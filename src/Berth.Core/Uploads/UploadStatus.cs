namespace Berth.Core.Uploads;

/// <summary>Where an upload session stands: its id and the bytes received so far.</summary>
public sealed record UploadStatus(string Id, long Size, DateTimeOffset StartedAt);
