using Berth.Core.Digests;
using Berth.Core.Names;
using Berth.Core.Storage;

namespace Berth.Core.Retention;

/// <summary>
/// When manifests lost a tag, read from the tags' own history, for stores that have no untag records (written by
/// registry:2, or before retention existed). registry:2 keeps an index entry under
/// <c>_manifests/tags/&lt;tag&gt;/index/&lt;alg&gt;/&lt;hex&gt;/link</c> for every digest a tag ever held, rewritten
/// each time the tag is pushed to that digest. A tag that held M and now holds another digest left M after M's entry
/// was last written, at the first push of the tag that followed. That push is bounded from above by the earliest
/// later entry of the same tag and by the tag's <c>current/link</c> time, so their minimum is never earlier than the
/// real untag time: a manifest is never judged untagged for longer than it was.
/// </summary>
/// <remarks>
/// A tag deleted through registry:2 takes its history with it: such a manifest counts from its last push.
/// </remarks>
internal static class TagIndexHistory
{
    /// <summary>For each of <paramref name="untagged"/> that some tag's history names, the latest time a tag left it.</summary>
    public static async Task<Dictionary<Digest, DateTimeOffset>> LeftAtAsync(
        IStorageDriver driver, RepositoryName repository, IReadOnlyList<TagState> tags, IReadOnlySet<Digest> untagged, CancellationToken cancellationToken)
    {
        var leftAt = new Dictionary<Digest, DateTimeOffset>();
        foreach (var tag in tags)
        {
            var held = await HeldAsync(driver, repository, tag.Name, cancellationToken);
            if (!held.Any(d => untagged.Contains(d) && !d.Equals(tag.Digest)))
            {
                continue;
            }

            var written = new Dictionary<Digest, DateTimeOffset>();
            foreach (var digest in held)
            {
                if (await driver.StatAsync(RegistryPaths.TagIndexLink(repository, tag.Name, digest), cancellationToken) is { } entry)
                {
                    written[digest] = entry.LastModified;
                }
            }

            foreach (var (digest, time) in written.Where(w => untagged.Contains(w.Key) && !w.Key.Equals(tag.Digest)))
            {
                var bound = written.Where(w => !w.Key.Equals(digest) && w.Value > time).Select(w => w.Value).Append(tag.PushedAt).Min();
                leftAt[digest] = leftAt.TryGetValue(digest, out var other) && other > bound ? other : bound;
            }
        }

        return leftAt;
    }

    private static async Task<List<Digest>> HeldAsync(IStorageDriver driver, RepositoryName repository, string tag, CancellationToken cancellationToken)
    {
        var held = new List<Digest>();
        var root = $"{RegistryPaths.Tag(repository, tag)}/index";
        foreach (var algorithm in await driver.ListAsync(root, cancellationToken) ?? [])
        {
            foreach (var encoded in await driver.ListAsync($"{root}/{algorithm}", cancellationToken) ?? [])
            {
                if (Digest.TryParse($"{algorithm}:{encoded}", out var digest))
                {
                    held.Add(digest);
                }
            }
        }

        return held;
    }
}
