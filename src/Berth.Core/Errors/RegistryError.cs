namespace Berth.Core.Errors;

/// <summary>An expected failure of a registry operation: a spec error code, a human message and optional detail.</summary>
public sealed record RegistryError(ErrorCode Code, string Message, IReadOnlyDictionary<string, string>? Detail = null)
{
    public int Status => Code switch
    {
        ErrorCode.BlobUnknown or ErrorCode.BlobUploadUnknown or ErrorCode.ManifestUnknown or ErrorCode.NameUnknown => 404,
        ErrorCode.Unauthorized => 401,
        ErrorCode.Denied => 403,
        ErrorCode.Unsupported => 405,
        ErrorCode.RangeInvalid => 416,
        ErrorCode.TooManyRequests => 429,
        ErrorCode.Unavailable => 503,
        ErrorCode.Unknown => 500,
        _ => 400,
    };

    /// <summary>The code as it appears on the wire, e.g. <c>BLOB_UPLOAD_UNKNOWN</c>.</summary>
    public string WireCode => Code switch
    {
        ErrorCode.BlobUnknown => "BLOB_UNKNOWN",
        ErrorCode.BlobUploadInvalid => "BLOB_UPLOAD_INVALID",
        ErrorCode.BlobUploadUnknown => "BLOB_UPLOAD_UNKNOWN",
        ErrorCode.DigestInvalid => "DIGEST_INVALID",
        ErrorCode.ManifestBlobUnknown => "MANIFEST_BLOB_UNKNOWN",
        ErrorCode.ManifestInvalid => "MANIFEST_INVALID",
        ErrorCode.ManifestUnknown => "MANIFEST_UNKNOWN",
        ErrorCode.NameInvalid => "NAME_INVALID",
        ErrorCode.NameUnknown => "NAME_UNKNOWN",
        ErrorCode.SizeInvalid => "SIZE_INVALID",
        ErrorCode.TagInvalid => "TAG_INVALID",
        ErrorCode.Unauthorized => "UNAUTHORIZED",
        ErrorCode.Denied => "DENIED",
        ErrorCode.Unsupported => "UNSUPPORTED",
        ErrorCode.TooManyRequests => "TOOMANYREQUESTS",
        ErrorCode.RangeInvalid => "BLOB_UPLOAD_INVALID",
        ErrorCode.PaginationNumberInvalid => "PAGINATION_NUMBER_INVALID",
        ErrorCode.Unavailable => "UNAVAILABLE",
        _ => "UNKNOWN",
    };
}
