using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Berth.Server.Auth;

/// <summary>
/// Counts failed logins per client address so a password cannot be guessed at line speed: after
/// <see cref="ThrottleOptions.Failures"/> failures within <see cref="ThrottleOptions.Window"/>, the address is refused
/// (429 with Retry-After) until the window has passed since the last failure. A password check holds one of the
/// address's remaining slots while it runs (<see cref="BeginAsync"/>), so a burst of guesses arriving at once gets
/// no more checks than the limit.
/// </summary>
internal sealed class LoginThrottle(ThrottleOptions options, TimeProvider time)
{
    // Beyond this many tracked addresses, forgotten ones are swept so a scan of addresses cannot grow memory.
    private const int SweepThreshold = 10_000;

    // While every slot is held by a check in flight, a request waits this long for one to end: a client's own
    // parallel requests with new credentials then pass once the first check has remembered them.
    private static readonly TimeSpan SlotPoll = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan SlotWait = TimeSpan.FromSeconds(2);

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

    /// <summary>
    /// Reserves a slot for one password check, counted as a failure until <see cref="LoginAttempt.Succeeded"/>; a
    /// refused attempt carries the Retry-After to send.
    /// </summary>
    public async ValueTask<LoginAttempt> BeginAsync(IPAddress? address, CancellationToken cancellationToken)
    {
        if (options.Failures <= 0 || address is null)
        {
            return LoginAttempt.Untracked;
        }

        if (_counters.Count > SweepThreshold)
        {
            Sweep();
        }

        var client = ClientOf(address);
        var waited = TimeSpan.Zero;
        while (true)
        {
            var counter = _counters.GetOrAdd(client, _ => new Counter());
            lock (counter)
            {
                var now = time.GetUtcNow();
                if (counter.Removed)
                {
                    // Swept between lookup and lock: take the address's current counter.
                    continue;
                }

                if (counter.BlockedUntil > now)
                {
                    return LoginAttempt.Refused(counter.BlockedUntil - now);
                }

                if (now - counter.WindowStart > options.Window)
                {
                    counter.WindowStart = now;
                    counter.Failures = 0;
                }

                counter.LastSeen = now;
                if (counter.Failures + counter.Pending < options.Failures)
                {
                    counter.Pending++;
                    return new LoginAttempt(this, counter);
                }
            }

            if (waited >= SlotWait)
            {
                return LoginAttempt.Refused(TimeSpan.FromSeconds(1));
            }

            await Task.Delay(SlotPoll, time, cancellationToken);
            waited += SlotPoll;
        }
    }

    private void End(Counter counter, bool failed)
    {
        lock (counter)
        {
            counter.Pending--;
            if (!failed)
            {
                return;
            }

            var now = time.GetUtcNow();
            counter.Failures++;
            counter.LastSeen = now;
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
            lock (counter)
            {
                if (counter.Pending == 0 && now - counter.LastSeen > options.Window && counter.BlockedUntil < now)
                {
                    counter.Removed = true;
                    _counters.TryRemove(address, out _);
                }
            }
        }
    }

    /// <summary>One reserved password check: a failure unless marked <see cref="Succeeded"/> before it is disposed.</summary>
    internal sealed class LoginAttempt : IDisposable
    {
        public static readonly LoginAttempt Untracked = new(null, null);

        private readonly LoginThrottle? _throttle;
        private readonly Counter? _counter;
        private int _ended;

        public LoginAttempt(LoginThrottle? throttle, Counter? counter)
        {
            _throttle = throttle;
            _counter = counter;
        }

        public TimeSpan? RetryAfter { get; private init; }

        public bool Allowed => RetryAfter is null;

        public static LoginAttempt Refused(TimeSpan retryAfter) => new(null, null) { RetryAfter = retryAfter };

        public void Succeeded() => End(failed: false);

        public void Dispose() => End(failed: true);

        private void End(bool failed)
        {
            if (_counter is not null && Interlocked.Exchange(ref _ended, 1) == 0)
            {
                _throttle!.End(_counter, failed);
            }
        }
    }

    internal sealed class Counter
    {
        public DateTimeOffset WindowStart { get; set; }

        public DateTimeOffset LastSeen { get; set; }

        public DateTimeOffset BlockedUntil { get; set; }

        public int Failures { get; set; }

        public int Pending { get; set; }

        public bool Removed { get; set; }
    }
}
