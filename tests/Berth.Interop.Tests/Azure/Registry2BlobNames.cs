namespace Berth.Interop.Tests.Azure;

/// <summary>
/// registry:2's blob names, written out from Distribution's registry/storage/paths.go rather than taken from Berth,
/// so a test that checks Berth's names against them can fail. <paramref name="prefix"/> is what comes before
/// "docker/registry/v2": "/" for 2.8, "" or "&lt;rootdirectory&gt;/" for 3.x.
/// </summary>
internal sealed class Registry2BlobNames(string prefix)
{
    public string Prefix { get; } = prefix;

    public string Root => Prefix + "docker/registry/v2/";

    public string BlobData(string digest) => $"{Root}blobs/sha256/{Hex(digest)[..2]}/{Hex(digest)}/data";

    public string LayerLink(string repository, string digest) => $"{Root}repositories/{repository}/_layers/sha256/{Hex(digest)}/link";

    public string RevisionLink(string repository, string digest) =>
        $"{Root}repositories/{repository}/_manifests/revisions/sha256/{Hex(digest)}/link";

    public string TagCurrentLink(string repository, string tag) => $"{Root}repositories/{repository}/_manifests/tags/{tag}/current/link";

    public string TagIndexLink(string repository, string tag, string digest) =>
        $"{Root}repositories/{repository}/_manifests/tags/{tag}/index/sha256/{Hex(digest)}/link";

    private static string Hex(string digest) =>
        digest.StartsWith("sha256:", StringComparison.Ordinal) ? digest["sha256:".Length..] : throw new ArgumentException($"not a sha256 digest: {digest}");
}
