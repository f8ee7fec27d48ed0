using Berth.Core.Blobs;

namespace Berth.Core.Uploads;

public enum CompleteResult
{
    Committed,
    UploadUnknown,
    DigestMismatch,
    RangeMismatch,
    LengthMismatch,
}

public sealed record CompleteOutcome(CompleteResult Result, BlobDescriptor? Blob = null, long Size = 0);
