using Berth.Core.Digests;

namespace Berth.Core.Collection;

/// <summary>A <see cref="ReferenceGuard"/> hold on some digests; disposing it releases them (once).</summary>
public sealed class ReferenceHold : IAsyncDisposable
{
    private readonly ReferenceGuard _guard;
    private readonly SemaphoreSlim[] _stripes;
    private readonly Digest[] _digests;
    private readonly bool _record;
    private int _released;

    internal ReferenceHold(ReferenceGuard guard, SemaphoreSlim[] stripes, Digest[] digests, bool record)
    {
        _guard = guard;
        _stripes = stripes;
        _digests = digests;
        _record = record;
    }

    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            _guard.Release(_stripes, _digests, _record);
        }

        return ValueTask.CompletedTask;
    }
}
