using System.Globalization;
using System.Net;

namespace Berth.Core.Configuration;

/// <summary>registry:2's <c>http.addr</c>: <c>:5000</c>, <c>0.0.0.0:5000</c>, <c>127.0.0.1:5000</c>, <c>[::1]:5000</c>.</summary>
public sealed record ListenAddress(IPAddress Address, int Port)
{
    public bool IsLoopback => IPAddress.IsLoopback(Address);

    public static bool TryParse(string text, out ListenAddress address)
    {
        address = new ListenAddress(IPAddress.Any, 0);
        var colon = text.LastIndexOf(':');
        if (colon < 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            return false;
        }

        var host = text[..colon].Trim('[', ']');
        IPAddress ip;
        if (host.Length == 0)
        {
            ip = IPAddress.IPv6Any;
        }
        else if (host == "localhost")
        {
            ip = IPAddress.Loopback;
        }
        else if (!IPAddress.TryParse(host, out ip!))
        {
            return false;
        }

        address = new ListenAddress(ip, port);
        return true;
    }
}
