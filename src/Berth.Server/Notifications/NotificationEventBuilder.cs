using Berth.Core.Configuration;
using Berth.Core.Digests;
using Berth.Core.Events;
using Berth.Core.Manifests;

namespace Berth.Server.Notifications;

/// <summary>
/// Turns a domain event into registry:2's notification event, as registry:2 2.8 raises them
/// (notifications/bridge.go): blob push/pull/mount carry the blob's descriptor with media type
/// application/octet-stream; manifest push/pull carry its media type, size, tag and, with
/// <c>events.includereferences</c>, what it references (for pulls, read by the handler); deletes carry only the repository and the digest or tag.
/// A tag move has no event of its own: the tag rides on the manifest push.
/// </summary>
internal sealed class NotificationEventBuilder(NotificationOptions options, HttpOptions http, NotificationSource source)
{
    // registry:2 describes every blob this way: it does not know what the blob is.
    private const string BlobMediaType = "application/octet-stream";

    public NotificationEvent? Build(RegistryEvent registryEvent)
    {
        var repository = registryEvent.Repository.Value;
        var origin = registryEvent.Origin;
        return registryEvent switch
        {
            BlobCommitted e => Create(e, "push", BlobTarget(repository, e.Digest, e.Size, origin)),
            BlobPulled e => Create(e, "pull", BlobTarget(repository, e.Digest, e.Size, origin)),
            BlobMounted e => Create(e, "mount", BlobTarget(repository, e.Digest, e.Size, origin) with { FromRepository = e.From.Value }),
            BlobDeleted e => Create(e, "delete", new NotificationTarget(null, null, e.Digest.ToString(), null, repository)),
            ManifestPushed e => Create(e, "push", ManifestTarget(repository, e.Digest, e.MediaType, e.Size, e.Tag, origin) with
            {
                References = options.IncludeReferences && e.Descriptors.Count > 0 ? References(e.Descriptors) : null,
            }),
            ManifestPulled e => Create(e, "pull", ManifestTarget(repository, e.Digest, e.MediaType, e.Size, e.Tag, origin)),
            ManifestDeleted e => Create(e, "delete", new NotificationTarget(null, null, e.Digest.ToString(), null, repository)),
            TagDeleted e => Create(e, "delete", new NotificationTarget(null, null, null, null, repository, Tag: e.Tag)),
            _ => null,
        };
    }

    private NotificationEvent Create(RegistryEvent registryEvent, string action, NotificationTarget target)
    {
        var origin = registryEvent.Origin;
        return new NotificationEvent(
            Guid.NewGuid().ToString(),
            registryEvent.Timestamp.UtcDateTime,
            action,
            target,
            new NotificationRequest(origin?.RequestId ?? string.Empty, origin?.Addr, origin?.Host, origin?.Method ?? string.Empty, origin?.UserAgent ?? string.Empty),
            new NotificationActor(origin?.Actor),
            source);
    }

    private NotificationTarget BlobTarget(string repository, Digest digest, long size, EventOrigin? origin) =>
        new(BlobMediaType, size, digest.ToString(), size, repository, Url: Url(origin, $"/v2/{repository}/blobs/{digest}"));

    private NotificationTarget ManifestTarget(string repository, Digest digest, string mediaType, long size, string? tag, EventOrigin? origin) =>
        new(mediaType, size, digest.ToString(), size, repository, Url: Url(origin, $"/v2/{repository}/manifests/{digest}"), Tag: tag);

    // As registry:2 builds it: from http.host when set, else from the host the client addressed.
    private string? Url(EventOrigin? origin, string path)
    {
        if (http.Host is { } host)
        {
            return host + path;
        }

        return origin is { Host: { } requestHost, Scheme: { } scheme } ? $"{scheme}://{requestHost}{path}" : null;
    }

    /// <summary>What a manifest references as registry:2 lists them: media type, size, digest.</summary>
    public static IReadOnlyList<NotificationDescriptor> References(IEnumerable<Descriptor> descriptors) =>
        descriptors.Select(d => new NotificationDescriptor(d.MediaType, d.Size, d.Digest.ToString())).ToList();

    /// <summary>registry:2's source record: this host and the listening port, and an id that changes every start.</summary>
    public static NotificationSource CreateSource(HttpOptions http) =>
        new(ListenAddress.TryParse(http.Addr, out var address) ? $"{Environment.MachineName}:{address.Port}" : Environment.MachineName, Guid.NewGuid().ToString());
}
