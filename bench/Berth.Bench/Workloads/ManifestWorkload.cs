using Berth.Bench.Registry;
using Berth.Bench.Running;

namespace Berth.Bench.Workloads;

/// <summary>Manifest HEAD or GET, by tag or by digest, cycling through the fixture's sixteen images.</summary>
internal sealed class ManifestWorkload(string name, bool head, bool byDigest, int defaultCount) : IWorkload
{
    public string Name => name;

    public string Unit => "requests";

    public bool Pushes => false;

    public int DefaultCount => defaultCount;

    public ConcurrencyKind Concurrency => ConcurrencyKind.Manifests;

    public async Task<WorkloadOperation> PrepareAsync(BenchContext context, RegistryClient client, int count, CancellationToken cancellationToken)
    {
        var images = await context.Manifests.GetAsync(cancellationToken);
        var references = images.Select(image => byDigest ? image.Digest : image.Tag).ToArray();
        if (head)
        {
            return async (i, ct) =>
            {
                await client.HeadManifestAsync(ManifestFixture.Repository, references[i % references.Length], ct);
                return 0;
            };
        }

        return (i, ct) => client.GetManifestAsync(ManifestFixture.Repository, references[i % references.Length], ct);
    }
}
