using System.Text;
using Berth.Core.Configuration;
using Berth.Core.Digests;
using Berth.Core.Retention;

namespace Berth.Core.Tests.Retention;

/// <summary>The rules of one policy over one repository, on a fixed clock. The end-to-end proof is in the server and interop tests.</summary>
public sealed class RetentionPlannerTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Kept_tags_do_not_count_towards_the_most_recent_and_any_keeping_rule_keeps()
    {
        var policy = Policy("keeptags: ['^v']\n      keepmostrecent: 2\n      deletetagsolderthan: 100h");
        var tags = new[]
        {
            Tag("v1", hoursAgo: 1000), Tag("a", hoursAgo: 1), Tag("b", hoursAgo: 2), Tag("c", hoursAgo: 50), Tag("d", hoursAgo: 150), Tag("e", hoursAgo: 300),
        };

        var deleted = Plan(policy, tags, []).Select(d => d.Tag).ToList();

        // a, b: the 2 most recent; c: younger than 100h; v1: keeptags.
        Assert.Equal(["d", "e"], deleted);
    }

    [Fact]
    public void A_count_alone_deletes_all_but_the_newest_and_an_age_alone_deletes_all_older()
    {
        var tags = new[] { Tag("a", hoursAgo: 1), Tag("b", hoursAgo: 2), Tag("c", hoursAgo: 3) };

        Assert.Equal(["b", "c"], Plan(Policy("keepmostrecent: 1"), tags, []).Select(d => d.Tag));
        Assert.Equal(["c"], Plan(Policy("deletetagsolderthan: 150m"), tags, []).Select(d => d.Tag));
        Assert.DoesNotContain(Plan(Policy("deleteuntaggedafter: 1h"), tags, []), d => d.Tag is not null);
    }

    [Fact]
    public void Immutable_tags_are_never_deleted()
    {
        var immutable = Immutable("^release$");
        var deletions = RetentionPlanner.Plan(Policy("keepmostrecent: 0"), immutable, Snapshot([Tag("release", 900), Tag("x", 1)], []), Now);

        Assert.Equal(["x"], deletions.Select(d => d.Tag));
    }

    [Fact]
    public void Untagged_manifests_go_after_the_grace_unless_something_kept_reaches_them()
    {
        var tagged = D("tagged");
        var child = D("child");
        var index = D("index");
        var oldIndex = D("old-index");
        var oldChild = D("old-child");
        var signature = D("signature");
        var orphanSignature = D("orphan-signature");
        var recent = D("recent");
        var expired = D("expired");
        var unparsed = D("schema1");
        var revisions = new[]
        {
            Revision(tagged, 500), Revision(child, 500), Revision(index, 10, child), Revision(oldIndex, 100, oldChild), Revision(oldChild, 500),
            Revision(signature, 500, subject: tagged), Revision(orphanSignature, 500, subject: expired), Revision(recent, 71), Revision(expired, 73),
            Revision(unparsed, 900) with { Understood = false },
        };

        var deleted = Plan(Policy("deleteuntaggedafter: 72h"), [Tag("t", 1, tagged)], revisions).Select(d => d.Digest).ToHashSet();

        // index is within its grace and keeps its child; the signature's subject is tagged; unparsed is never deleted.
        Assert.Equal(new HashSet<Digest> { oldIndex, oldChild, orphanSignature, expired }, deleted);
    }

    [Fact]
    public void A_manifest_whose_tag_this_pass_deletes_is_kept_until_a_later_pass()
    {
        var image = D("image");
        var deletions = Plan(Policy("keepmostrecent: 0\n      deleteuntaggedafter: 1h"), [Tag("old", 900, image)], [Revision(image, 900)]);

        Assert.Equal([("old", image)], deletions.Select(d => (d.Tag, d.Digest)));
    }

    private static IReadOnlyList<RetentionDeletion> Plan(RetentionPolicy policy, TagState[] tags, RevisionState[] revisions) =>
        RetentionPlanner.Plan(policy, TagPatterns.None, Snapshot(tags, revisions), Now);

    private static RepositorySnapshot Snapshot(TagState[] tags, RevisionState[] revisions) =>
        new("team/app", tags, revisions.ToDictionary(r => r.Digest));

    private static TagState Tag(string name, int hoursAgo, Digest? digest = null) => new(name, digest ?? D(name), Now.AddHours(-hoursAgo));

    private static RevisionState Revision(Digest digest, int untaggedHoursAgo, Digest? child = null, Digest? subject = null) =>
        new(digest, Now.AddHours(-untaggedHoursAgo), child is null ? [] : [child], subject, Understood: true);

    private static Digest D(string name) => Digest.Compute(DigestAlgorithm.Sha256, Encoding.UTF8.GetBytes(name));

    private static RetentionPolicy Policy(string rules) =>
        Bind($"retention:\n  policies:\n    - repositories: ['**']\n      {rules}\n").Retention.Policies[0];

    private static TagPatterns Immutable(string pattern) => Bind($"retention:\n  immutable: ['{pattern}']\n").Retention.Immutable;

    private static RegistryConfiguration Bind(string yaml) =>
        ConfigurationLoader.Bind(ConfigTreeReader.ReadDocument("version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: /tmp/unused\n" + yaml, "test"), "test");
}
