using System.Diagnostics.Metrics;

namespace Berth.Core.Collection;

/// <summary>The online collector's figures, on the registry's <c>Berth</c> meter (exported at /metrics).</summary>
public static class CollectionMetrics
{
    // The same meter name as RegistryMetrics: the exporter listens to every meter called "Berth".
    private static readonly Meter Meter = new(Diagnostics.RegistryMetrics.MeterName);

    private static readonly Counter<long> Runs = Meter.CreateCounter<long>("berth.gc.runs", unit: "{run}", description: "Garbage collections run, by outcome (completed, failed).");
    private static readonly Counter<long> BlobsDeleted = Meter.CreateCounter<long>("berth.gc.blobs_deleted", unit: "{blob}", description: "Blobs the collector deleted or quarantined.");
    private static readonly Counter<long> BytesDeleted = Meter.CreateCounter<long>("berth.gc.deleted", unit: "By", description: "Bytes of blob data the collector deleted or quarantined.");
    private static readonly Counter<long> ManifestsDeleted = Meter.CreateCounter<long>("berth.gc.manifests_deleted", unit: "{manifest}", description: "Untagged manifests the collector deleted.");
    private static readonly Counter<long> KeptByRecheck = Meter.CreateCounter<long>("berth.gc.kept_by_recheck", unit: "{blob}", description: "Candidates kept because a push referenced them while the collection ran.");
    private static readonly Counter<long> QuarantinePurged = Meter.CreateCounter<long>("berth.gc.quarantine_purged", unit: "{blob}", description: "Quarantined blobs purged after the quarantine period.");
    private static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("berth.gc.duration", unit: "s", description: "How long one garbage collection took.");

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
