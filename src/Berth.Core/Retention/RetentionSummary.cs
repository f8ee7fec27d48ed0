namespace Berth.Core.Retention;

/// <summary>What one retention pass did, or would do in a dry run.</summary>
public sealed class RetentionSummary
{
    public bool DryRun { get; init; }

    public int Repositories { get; set; }

    /// <summary>Repositories some policy covers; the others keep everything.</summary>
    public int Covered { get; set; }

    public int Tags { get; set; }

    public int Manifests { get; set; }

    /// <summary>Deletions skipped because the tag or manifest changed after the pass read it.</summary>
    public int Skipped { get; set; }

    public override string ToString() =>
        $"retention: {Repositories} repositories, {Covered} covered by a policy, {Tags} tags and {Manifests} manifests " +
        (DryRun ? "would be deleted (dry run: nothing was changed)" : $"deleted, {Skipped} kept because they changed during the pass") +
        "; run garbage-collect to free their blobs";
}
