namespace Berth.Core.Errors;

/// <summary>The distribution-spec error codes, with the HTTP status registry:2 pairs with each.</summary>
public enum ErrorCode
{
    BlobUnknown,
    BlobUploadInvalid,
    BlobUploadUnknown,
    DigestInvalid,
    ManifestBlobUnknown,
    ManifestInvalid,
    ManifestUnknown,
    NameInvalid,
    NameUnknown,
    SizeInvalid,
    TagInvalid,
    Unauthorized,
    Denied,
    Unsupported,
    TooManyRequests,
    RangeInvalid,
    PaginationNumberInvalid,
    Unavailable,

    /// <summary>A fault of the registry itself (HTTP 500), as registry:2 reports it.</summary>
    Unknown,
}
