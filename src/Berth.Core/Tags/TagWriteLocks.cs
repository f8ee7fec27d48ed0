using Berth.Core.Names;

namespace Berth.Core.Tags;

/// <summary>
/// Serialises the writes of one tag in this process (a push moving it, a delete, retention's re-check and delete), so
/// a delete decided on what the tag held never lands after a push moved it. Striped: different tags rarely share a
/// lock, and no holder takes a second one, so they cannot deadlock.
/// </summary>
public sealed class TagWriteLocks
{
    private const int StripeCount = 256;

    private readonly SemaphoreSlim[] _stripes = [.. Enumerable.Range(0, StripeCount).Select(_ => new SemaphoreSlim(1, 1))];

    public async Task<IDisposable> LockAsync(RepositoryName repository, string tag, CancellationToken cancellationToken)
    {
        var stripe = _stripes[(uint)HashCode.Combine(repository, StringComparer.Ordinal.GetHashCode(tag)) % StripeCount];
        await stripe.WaitAsync(cancellationToken);
        return new Release(stripe);
    }

    private sealed class Release(SemaphoreSlim stripe) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                stripe.Release();
            }
        }
    }
}
