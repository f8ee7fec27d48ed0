using System.Collections;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Berth.Server.Logging;

/// <summary>
/// One access-log line, "response completed" with registry:2's response fields; the request's id, method and URI
/// come from <see cref="RequestLogScope"/>. The user is the authenticated name, never a credential.
/// </summary>
/// <remarks>A state object rather than a [LoggerMessage] method: registry:2's field names have dots, which a message
/// template's placeholders cannot.</remarks>
internal sealed class AccessLogEntry(int status, long written, TimeSpan duration, string? remoteAddress, string? userAgent, string? user)
    : IReadOnlyList<KeyValuePair<string, object?>>
{
    public static readonly EventId EventId = new(100, "AccessLog");

    public static readonly Func<AccessLogEntry, Exception?, string> Format = (entry, _) => entry.ToString();

    public int Count => user is null ? 6 : 7;

    public KeyValuePair<string, object?> this[int index] => index switch
    {
        0 => new("http.response.status", status),
        1 => new("http.response.written", written),
        2 => new("http.response.duration", GoDurationText(duration)),
        3 => new("http.request.remoteaddr", remoteAddress),
        4 => new("http.request.useragent", userAgent),
        5 => new("{OriginalFormat}", "response completed"),
        6 => new("auth.user.name", user),
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => "response completed";

    /// <summary>As Go prints a time.Duration (registry:2's text logs): 1.5s, 12.345ms, 830µs.</summary>
    private static string GoDurationText(TimeSpan duration) => duration.TotalSeconds >= 1
        ? duration.TotalSeconds.ToString("0.######", CultureInfo.InvariantCulture) + "s"
        : duration.TotalMilliseconds >= 1
            ? duration.TotalMilliseconds.ToString("0.######", CultureInfo.InvariantCulture) + "ms"
            : (duration.Ticks / 10.0).ToString("0.#", CultureInfo.InvariantCulture) + "µs";
}
