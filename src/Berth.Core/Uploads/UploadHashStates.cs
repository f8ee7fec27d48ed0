using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Berth.Core.Uploads;

/// <summary>
/// Running SHA-256 states of uploads in progress, keyed by upload id and valid only at the offset they reached.
/// This is a cache, not state: when an entry is missing or stale (after a restart, or when the upload continues on
/// another instance), completion re-reads the stored bytes to compute the digest.
/// </summary>
public sealed class UploadHashStates
{
    private const int MaxEntries = 4096;
    private readonly ConcurrentDictionary<string, (IncrementalHash Hash, long Offset)> _states = new(StringComparer.Ordinal);

    /// <summary>Takes the state for an upload at <paramref name="offset"/>; a fresh hash at offset 0; otherwise null.</summary>
    public IncrementalHash? Take(string uploadId, long offset)
    {
        if (_states.TryRemove(uploadId, out var state))
        {
            if (state.Offset == offset)
            {
                return state.Hash;
            }

            state.Hash.Dispose();
        }

        return offset == 0 ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256) : null;
    }

    public void Return(string uploadId, IncrementalHash hash, long offset)
    {
        if (_states.Count >= MaxEntries)
        {
            // Abandoned uploads must not grow memory without bound; losing a state only costs a re-read.
            Forget(_states.Keys.FirstOrDefault());
        }

        if (!_states.TryAdd(uploadId, (hash, offset)))
        {
            hash.Dispose();
        }
    }

    public void Forget(string? uploadId)
    {
        if (uploadId is not null && _states.TryRemove(uploadId, out var state))
        {
            state.Hash.Dispose();
        }
    }
}
