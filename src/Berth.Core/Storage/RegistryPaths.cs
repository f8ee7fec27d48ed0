using Berth.Core.Digests;
using Berth.Core.Names;

namespace Berth.Core.Storage;

/// <summary>
/// registry:2's storage layout (distribution/registry/storage/paths.go), so a store written by either registry is
/// served by the other:
/// <code>
/// /docker/registry/v2/blobs/&lt;alg&gt;/&lt;hex[0:2]&gt;/&lt;hex&gt;/data
/// /docker/registry/v2/repositories/&lt;name&gt;/_layers/&lt;alg&gt;/&lt;hex&gt;/link
/// /docker/registry/v2/repositories/&lt;name&gt;/_manifests/revisions/&lt;alg&gt;/&lt;hex&gt;/link
/// /docker/registry/v2/repositories/&lt;name&gt;/_manifests/tags/&lt;tag&gt;/current/link
/// /docker/registry/v2/repositories/&lt;name&gt;/_manifests/tags/&lt;tag&gt;/index/&lt;alg&gt;/&lt;hex&gt;/link
/// /docker/registry/v2/repositories/&lt;name&gt;/_uploads/&lt;id&gt;/data|startedat
/// </code>
/// Berth adds one directory registry:2 ignores (it skips names starting with '_'):
/// <c>repositories/&lt;name&gt;/_referrers/&lt;subject alg&gt;/&lt;subject hex&gt;/&lt;alg&gt;/&lt;hex&gt;/link</c>,
/// and retention's record of when a manifest last lost a tag: <c>repositories/&lt;name&gt;/_untagged/&lt;alg&gt;/&lt;hex&gt;</c>.
/// </summary>
internal static class RegistryPaths
{
    public const string Root = "/docker/registry/v2";
    public const string RepositoriesRoot = Root + "/repositories";
    public const string BlobsRoot = Root + "/blobs";

    public static string BlobData(Digest digest) =>
        $"{BlobsRoot}/{digest.Algorithm.Name}/{digest.Encoded[..2]}/{digest.Encoded}/data";

    public static string Repository(RepositoryName name) => $"{RepositoriesRoot}/{name.Value}";

    public static string LayerLink(RepositoryName name, Digest digest) =>
        $"{RepositoriesRoot}/{name.Value}/_layers/{digest.Algorithm.Name}/{digest.Encoded}/link";

    public static string ManifestRevisionLink(RepositoryName name, Digest digest) =>
        $"{RepositoriesRoot}/{name.Value}/_manifests/revisions/{digest.Algorithm.Name}/{digest.Encoded}/link";

    public static string ManifestRevision(RepositoryName name, Digest digest) =>
        $"{RepositoriesRoot}/{name.Value}/_manifests/revisions/{digest.Algorithm.Name}/{digest.Encoded}";

    public static string Tags(RepositoryName name) => $"{RepositoriesRoot}/{name.Value}/_manifests/tags";

    public static string Tag(RepositoryName name, string tag) => $"{Tags(name)}/{tag}";

    public static string TagCurrentLink(RepositoryName name, string tag) => $"{Tags(name)}/{tag}/current/link";

    public static string TagIndexLink(RepositoryName name, string tag, Digest digest) =>
        $"{Tags(name)}/{tag}/index/{digest.Algorithm.Name}/{digest.Encoded}/link";

    public static string Uploads(RepositoryName name) => $"{RepositoriesRoot}/{name.Value}/_uploads";

    public static string Upload(RepositoryName name, string uploadId) => $"{Uploads(name)}/{uploadId}";

    public static string UploadData(RepositoryName name, string uploadId) => $"{Upload(name, uploadId)}/data";

    public static string UploadStartedAt(RepositoryName name, string uploadId) => $"{Upload(name, uploadId)}/startedat";

    /// <summary>Berth's own: who opened the session (registry:2 ignores, and purges, unknown files here).</summary>
    public static string UploadOpenedBy(RepositoryName name, string uploadId) => $"{Upload(name, uploadId)}/openedby";

    public static string Untagged(RepositoryName name) => $"{RepositoriesRoot}/{name.Value}/_untagged";

    public static string UntaggedRecord(RepositoryName name, Digest digest) => $"{Untagged(name)}/{digest.Algorithm.Name}/{digest.Encoded}";

    public static string Referrers(RepositoryName name, Digest subject) =>
        $"{RepositoriesRoot}/{name.Value}/_referrers/{subject.Algorithm.Name}/{subject.Encoded}";

    public static string ReferrerLink(RepositoryName name, Digest subject, Digest referrer) =>
        $"{Referrers(name, subject)}/{referrer.Algorithm.Name}/{referrer.Encoded}/link";

    /// <summary>Berth's own state beside the registry:2 tree (registry:2 never lists it).</summary>
    public const string BerthRoot = Root + "/_berth";

    /// <summary>Written at the start of each collection so its start time comes from the store's clock.</summary>
    public const string CollectionEpoch = BerthRoot + "/gc/epoch";

    public const string QuarantineRoot = BerthRoot + "/quarantine";

    /// <summary>One heartbeat object per serving instance.</summary>
    public const string InstancesRoot = BerthRoot + "/instances";

    public static string QuarantinedBlob(Digest digest) => $"{QuarantineRoot}/{digest.Algorithm.Name}/{digest.Encoded}";

    public static string QuarantinedBlobData(Digest digest) => $"{QuarantinedBlob(digest)}/data";
}
