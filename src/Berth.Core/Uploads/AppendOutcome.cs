namespace Berth.Core.Uploads;

public enum AppendResult
{
    Appended,
    UploadUnknown,

    /// <summary>distribution-spec: "a 416 MUST be returned if a chunk is uploaded out of order".</summary>
    RangeMismatch,

    /// <summary>The body was not as long as Content-Range or Content-Length said.</summary>
    LengthMismatch,
}

public sealed record AppendOutcome(AppendResult Result, long Size);
