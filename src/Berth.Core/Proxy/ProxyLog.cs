using Microsoft.Extensions.Logging;

namespace Berth.Core.Proxy;

internal static partial class ProxyLog
{
    [LoggerMessage(EventId = 1200, Level = LogLevel.Warning, Message = "Upstream {Upstream} failed for {Repository}:{Reference}, serving the cached {Digest}: {Reason}")]
    public static partial void ServingStale(ILogger logger, string upstream, string repository, string reference, string digest, string reason);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Warning, Message = "Upstream {Upstream} failed: {Reason}")]
    public static partial void UpstreamFailed(ILogger logger, string upstream, string reason);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Warning, Message = "Upstream {Upstream} sent blob {Digest} for {Repository} that does not match its digest or length; nothing was stored")]
    public static partial void BlobRejected(ILogger logger, string upstream, string repository, string digest);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Warning, Message = "Upstream {Upstream} named a token realm {Realm} that Berth will not send its credentials to; asking anonymously")]
    public static partial void RealmNotTrusted(ILogger logger, string upstream, string realm);

    [LoggerMessage(EventId = 1204, Level = LogLevel.Information, Message = "Proxy cache expired {Count} entries")]
    public static partial void Expired(ILogger logger, int count);

    [LoggerMessage(EventId = 1205, Level = LogLevel.Warning, Message = "Proxy cache could not expire {Key}")]
    public static partial void ExpiryFailed(ILogger logger, string key, Exception exception);

    [LoggerMessage(EventId = 1206, Level = LogLevel.Warning, Message = "Upstream {Upstream} sent an unusable manifest for {Repository}:{Reference}: {Reason}")]
    public static partial void ManifestRejected(ILogger logger, string upstream, string repository, string reference, string reason);
}
