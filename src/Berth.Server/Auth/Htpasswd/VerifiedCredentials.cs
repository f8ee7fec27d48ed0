using System.Buffers;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Berth.Server.Auth.Htpasswd;

/// <summary>
/// Remembers, for a short time, user/password pairs that bcrypt already accepted: bcrypt costs tens of
/// milliseconds by design, and clients send Basic credentials on every request, so without this a manifest HEAD
/// would be bound by bcrypt. Keys are an HMAC-SHA256 under a per-process random key, so neither passwords nor
/// plain hashes of them are kept. Only successes are cached; a wrong password always pays full price.
/// </summary>
internal sealed class VerifiedCredentials(TimeProvider time, TimeSpan lifetime)
{
    private const int MaxEntries = 10_000;

    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private readonly ConcurrentDictionary<UInt128, long> _expiries = new();

    public bool Contains(string user, string password)
    {
        var key = KeyOf(user, password);
        return _expiries.TryGetValue(key, out var expires) && expires > time.GetTimestamp();
    }

    public void Add(string user, string password)
    {
        if (_expiries.Count >= MaxEntries)
        {
            _expiries.Clear();
        }

        _expiries[KeyOf(user, password)] = time.GetTimestamp() + (long)(lifetime.TotalSeconds * time.TimestampFrequency);
    }

    private UInt128 KeyOf(string user, string password)
    {
        var length = Encoding.UTF8.GetMaxByteCount(user.Length + password.Length + 1);
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            // A NUL separates the two, so "ab"+"c" and "a"+"bc" differ.
            var written = Encoding.UTF8.GetBytes(user, rented);
            rented[written++] = 0;
            written += Encoding.UTF8.GetBytes(password, rented.AsSpan(written));
            Span<byte> mac = stackalloc byte[32];
            HMACSHA256.HashData(_key, rented.AsSpan(0, written), mac);
            return new UInt128(BitConverter.ToUInt64(mac), BitConverter.ToUInt64(mac[8..]));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented, clearArray: true);
        }
    }
}
