using Berth.Bench.Registry;
using Berth.Bench.Running;

namespace Berth.Bench.Workloads;

/// <summary>GET /v2/&lt;name&gt;/tags/list on repositories drawn at random from the seeded many.</summary>
internal sealed class TagsListWorkload(string name, int keySpace, int defaultCount) : IWorkload
{
    public string Name => name;

    public string Unit => "requests";

    public bool Pushes => false;

    public int DefaultCount => defaultCount;

    public ConcurrencyKind Concurrency => ConcurrencyKind.Manifests;

    public async Task<WorkloadOperation> PrepareAsync(BenchContext context, RegistryClient client, int count, CancellationToken cancellationToken)
    {
        var repositories = await context.Repositories.GetAsync(cancellationToken);
        var random = context.Random(keySpace);
        var choices = Enumerable.Range(0, count).Select(_ => repositories[random.Next(repositories.Count)]).ToArray();
        return (i, ct) => client.ListTagsAsync(choices[i], ct);
    }
}
