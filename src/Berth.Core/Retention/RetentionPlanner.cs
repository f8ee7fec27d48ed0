using System.Globalization;
using Berth.Core.Digests;

namespace Berth.Core.Retention;

/// <summary>
/// Decides, for one repository and the policy that covers it, which tags and which untagged manifests go. Pure: it
/// reads a snapshot and a clock, so every rule is tested without storage.
/// </summary>
/// <remarks>
/// An untagged manifest is kept while anything kept reaches it: a tag (including tags this pass deletes, whose
/// manifests only became untagged now), an untagged manifest still within <c>deleteuntaggedafter</c>, a kept index
/// that lists it (distribution#3178) or, for a referrer (a signature, an SBOM), a kept subject.
/// </remarks>
public static class RetentionPlanner
{
    public static IReadOnlyList<RetentionDeletion> Plan(RetentionPolicy policy, TagPatterns immutable, RepositorySnapshot snapshot, DateTimeOffset now)
    {
        var deletions = PlanTags(policy, immutable, snapshot.Tags, now);
        if (policy.DeleteUntaggedAfter is { } after)
        {
            deletions.AddRange(PlanUntagged(after, snapshot, now));
        }

        return deletions;
    }

    private static List<RetentionDeletion> PlanTags(RetentionPolicy policy, TagPatterns immutable, IReadOnlyList<TagState> tags, DateTimeOffset now)
    {
        var deletions = new List<RetentionDeletion>();
        if (!policy.DeletesTags)
        {
            return deletions;
        }

        var candidates = tags
            .Where(t => !immutable.IsMatch(t.Name) && !policy.KeepTags.IsMatch(t.Name))
            .OrderByDescending(t => t.PushedAt)
            .ThenBy(t => t.Name, StringComparer.Ordinal)
            .ToList();
        for (var rank = 0; rank < candidates.Count; rank++)
        {
            var tag = candidates[rank];
            var age = now - tag.PushedAt;
            if (rank < policy.KeepMostRecent || age < policy.DeleteTagsOlderThan)
            {
                continue;
            }

            var reasons = new List<string>();
            if (policy.DeleteTagsOlderThan is { } olderThan)
            {
                reasons.Add($"pushed {Hours(age)} ago, more than deletetagsolderthan {Hours(olderThan)}");
            }

            if (policy.KeepMostRecent is { } count)
            {
                reasons.Add($"not among the {count} most recently pushed (keepmostrecent)");
            }

            deletions.Add(new RetentionDeletion(tag.Name, tag.Digest, $"{string.Join(" and ", reasons)} [{policy.Name}]"));
        }

        return deletions;
    }

    private static IEnumerable<RetentionDeletion> PlanUntagged(TimeSpan after, RepositorySnapshot snapshot, DateTimeOffset now)
    {
        var revisions = snapshot.Revisions;
        var roots = snapshot.Tags.Select(t => t.Digest)
            .Concat(revisions.Values.Where(r => !r.Understood || now - r.UntaggedSince < after).Select(r => r.Digest));
        var kept = Reach(roots, revisions);
        foreach (var revision in revisions.Values.Where(r => !kept.Contains(r.Digest)).OrderBy(r => r.Digest.Value, StringComparer.Ordinal))
        {
            yield return new RetentionDeletion(null, revision.Digest,
                $"untagged, unreferenced, last tagged or pushed {Hours(now - revision.UntaggedSince)} ago, more than deleteuntaggedafter {Hours(after)}");
        }
    }

    /// <summary>Everything the roots keep: an index's children and, for every kept manifest, its referrers.</summary>
    private static HashSet<Digest> Reach(IEnumerable<Digest> roots, IReadOnlyDictionary<Digest, RevisionState> revisions)
    {
        var referrers = revisions.Values.Where(r => r.Subject is not null).ToLookup(r => r.Subject!, r => r.Digest);
        var reached = new HashSet<Digest>();
        var pending = new Stack<Digest>(roots);
        while (pending.TryPop(out var digest))
        {
            if (!reached.Add(digest))
            {
                continue;
            }

            foreach (var child in revisions.GetValueOrDefault(digest)?.References ?? [])
            {
                pending.Push(child);
            }

            foreach (var referrer in referrers[digest])
            {
                pending.Push(referrer);
            }
        }

        return reached;
    }

    private static string Hours(TimeSpan span) => span.TotalHours.ToString("0.#", CultureInfo.InvariantCulture) + "h";
}
