using Berth.Core.Errors;
using Microsoft.AspNetCore.Http;

namespace Berth.Server.Errors;

/// <summary>Shorthands for the errors handlers return most often.</summary>
internal static class Problems
{
    public static IResult Of(ErrorCode code, string message, int? status = null) => new RegistryErrorResult(new RegistryError(code, message), status);

    public static IResult Of(RegistryError error) => new RegistryErrorResult(error);

    public static IResult NameInvalid(string name) => Of(ErrorCode.NameInvalid, $"invalid repository name '{Truncate(name)}'");

    public static IResult NameUnknown(string name) => Of(ErrorCode.NameUnknown, $"repository name not known to registry: {name}");

    public static IResult DigestInvalid(string? digest) => Of(ErrorCode.DigestInvalid, $"invalid digest '{Truncate(digest)}': expected sha256:<64 hex> or sha512:<128 hex>");

    public static IResult TagInvalid(string tag) => Of(ErrorCode.TagInvalid, $"invalid tag '{Truncate(tag)}': tags match [a-zA-Z0-9_][a-zA-Z0-9._-]{{0,127}}");

    public static IResult BlobUnknown(string digest) => Of(ErrorCode.BlobUnknown, $"blob unknown to registry: {Truncate(digest)}");

    public static IResult ManifestUnknown(string reference) => Of(ErrorCode.ManifestUnknown, $"manifest unknown: {Truncate(reference)}");

    public static IResult UploadUnknown(string id) => Of(ErrorCode.BlobUploadUnknown, $"blob upload unknown to registry: {Truncate(id)}");

    public static IResult DeleteDisabled() => Of(ErrorCode.Unsupported, "deletion is disabled on this registry (storage.delete.enabled / REGISTRY_STORAGE_DELETE_ENABLED)");

    public static IResult ReadOnly() => Of(ErrorCode.Unsupported, "the registry is in read-only mode (storage.maintenance.readonly.enabled)");

    public static IResult ProxyReadOnly(string name, bool mirror) => Of(ErrorCode.Unsupported, mirror
        ? "this registry is a pull-through cache (proxy.remoteurl): pushes and deletes are not supported"
        : $"repository {Truncate(name)} pulls through an upstream (proxy.upstreams): pushes and deletes are not supported; push to a repository outside the upstreams' prefixes");

    public static IResult NotFound() => Of(ErrorCode.Unsupported, "no such registry endpoint", StatusCodes.Status404NotFound);

    public static IResult MethodNotAllowed(string method) => Of(ErrorCode.Unsupported, $"method {method} is not supported on this endpoint");

    private static string Truncate(string? text) => text is null ? string.Empty : text.Length > 300 ? text[..300] + "…" : text;
}
