using Berth.Bench.Registry;
using Berth.Bench.Running;

namespace Berth.Bench.Workloads;

/// <summary>One operation lists the whole _catalog (1,000+ repositories), following pagination links.</summary>
internal sealed class CatalogWorkload(string name, int defaultCount) : IWorkload
{
    // registry:2 refuses n above its catalog.maxentries, 1,000 by default.
    private const int PageSize = 1000;

    public string Name => name;

    public string Unit => "listings";

    public bool Pushes => false;

    public int DefaultCount => defaultCount;

    public ConcurrencyKind Concurrency => ConcurrencyKind.Blobs;

    public async Task<WorkloadOperation> PrepareAsync(BenchContext context, RegistryClient client, int count, CancellationToken cancellationToken)
    {
        await context.Repositories.GetAsync(cancellationToken);
        return (_, ct) => client.ListCatalogAsync(PageSize, ct);
    }
}
