using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Berth.Server.Auth;

/// <summary>
/// Counts failed logins per client address so a password cannot be guessed at line speed: after
/// <see cref="ThrottleOptions.Failures"/> failures within <see cref="ThrottleOptions.Window"/>, the address is refused
/// (429 with Retry-After) until the window has passed since the last failure.
/// </summary>
internal sealed class LoginThrottle(ThrottleOptions options, TimeProvider time)
{
    // Beyond this many tracked addresses, forgotten ones are swept so a scan of addresses cannot grow memory.
    private const int SweepThreshold = 10_000;

    private readonly ConcurrentDictionary<IPAddress, Counter> _counters = new();

    public bool IsBlocked(IPAddress? address, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (options.Failures <= 0 || address is null || !_counters.TryGetValue(ClientOf(address), out var counter))
        {
            return false;
        }

        lock (counter)
        {
            var now = time.GetUtcNow();
            if (counter.BlockedUntil > now)
            {
                retryAfter = counter.BlockedUntil - now;
                return true;
            }
        }

        return false;
    }

    public void RecordFailure(IPAddress? address)
    {
        if (options.Failures <= 0 || address is null)
        {
            return;
        }

        if (_counters.Count > SweepThreshold)
        {
            Sweep();
        }

        var counter = _counters.GetOrAdd(ClientOf(address), _ => new Counter());
        lock (counter)
        {
            var now = time.GetUtcNow();
            if (now - counter.WindowStart > options.Window)
            {
                counter.WindowStart = now;
                counter.Failures = 0;
            }

            counter.Failures++;
            counter.LastFailure = now;
            if (counter.Failures >= options.Failures)
            {
                counter.BlockedUntil = now + options.Window;
            }
        }
    }

    /// <summary>
    /// The unit failures are counted by: an IPv4 address (also when a dual-stack socket reports it IPv4-mapped), or an
    /// IPv6 /64, since one host is usually handed a whole /64 and could otherwise start afresh from each address in it.
    /// </summary>
    private static IPAddress ClientOf(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address;
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes);
    }

    private void Sweep()
    {
        var now = time.GetUtcNow();
        foreach (var (address, counter) in _counters)
        {
            if (now - counter.LastFailure > options.Window && counter.BlockedUntil < now)
            {
                _counters.TryRemove(address, out _);
            }
        }
    }

    private sealed class Counter
    {
        public DateTimeOffset WindowStart { get; set; }

        public DateTimeOffset LastFailure { get; set; }

        public DateTimeOffset BlockedUntil { get; set; }

        public int Failures { get; set; }
    }
}
