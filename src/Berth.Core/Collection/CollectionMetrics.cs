using System.Diagnostics.Metrics;

namespace Berth.Core.Collection;

/// <summary>The online collector's figures, on the registry's <c>Berth</c> meter (exported at /metrics).</summary>
public static class CollectionMetrics
{
    private static readonly Meter Meter = new("Berth");

    private static readonly Counter<long> Runs = Meter.CreateCounter<long>("berth_gc_runs", description: "Garbage collections run, by outcome (completed, failed).");
    private static readonly Counter<long> BlobsDeleted = Meter.CreateCounter<long>("berth_gc_blobs_deleted", description: "Blobs the collector deleted or quarantined.");
    private static readonly Counter<long> BytesDeleted = Meter.CreateCounter<long>("berth_gc_deleted", unit: "bytes", description: "Bytes of blob data the collector deleted or quarantined.");
    private static readonly Counter<long> ManifestsDeleted = Meter.CreateCounter<long>("berth_gc_manifests_deleted", description: "Untagged manifests the collector deleted.");
    private static readonly Counter<long> KeptByRecheck = Meter.CreateCounter<long>("berth_gc_kept_by_recheck", description: "Candidates kept because a push referenced them while the collection ran.");
    private static readonly Counter<long> QuarantinePurged = Meter.CreateCounter<long>("berth_gc_quarantine_purged", description: "Quarantined blobs purged after the quarantine period.");
    private static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("berth_gc_duration", unit: "s", description: "How long one garbage collection took.");

    public static void Completed(CollectionSummary summary, TimeSpan elapsed)
    {
        Runs.Add(1, new KeyValuePair<string, object?>("outcome", "completed"));
        BlobsDeleted.Add(summary.BlobsDeleted);
        BytesDeleted.Add(summary.BytesDeleted);
        ManifestsDeleted.Add(summary.ManifestsDeleted);
        KeptByRecheck.Add(summary.KeptByRecheck);
        QuarantinePurged.Add(summary.QuarantinePurged);
        Duration.Record(elapsed.TotalSeconds);
    }

    public static void Failed() => Runs.Add(1, new KeyValuePair<string, object?>("outcome", "failed"));
}
