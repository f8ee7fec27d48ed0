using System.Net;
using Berth.Core.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;

namespace Berth.Server.Auth;

/// <summary>
/// Berth's <c>http.trustedproxies</c> (REGISTRY_HTTP_TRUSTEDPROXIES): the addresses and networks (CIDR) of the
/// reverse proxies whose X-Forwarded-For/-Proto/-Host are believed. Those headers choose the token realm clients
/// send passwords to, the Location of uploads and the address failed logins are counted by, so from anyone else
/// they are ignored. Empty (the default) believes nobody; registry:2 believed everybody.
/// </summary>
internal sealed class TrustedProxies
{
    private readonly List<IPAddress> _addresses = [];
    private readonly List<System.Net.IPNetwork> _networks = [];

    public bool Any => _addresses.Count > 0 || _networks.Count > 0;

    public static TrustedProxies Bind(RegistryConfiguration configuration)
    {
        var proxies = new TrustedProxies();
        var http = new ConfigSection(configuration.Tree, string.Empty).GetSection("http");
        if (http is null)
        {
            return proxies;
        }

        foreach (var entry in ConfigLists.Read(configuration.Tree, http, "trustedproxies"))
        {
            if (entry.Contains('/', StringComparison.Ordinal) && System.Net.IPNetwork.TryParse(entry, out var network))
            {
                proxies._networks.Add(network);
            }
            else if (IPAddress.TryParse(entry, out var address))
            {
                proxies._addresses.Add(address);
            }
            else
            {
                throw http.Error("trustedproxies", $"'{entry}' is neither an IP address nor a CIDR network such as 10.0.0.0/8");
            }
        }

        return proxies;
    }

    public void Apply(ForwardedHeadersOptions options)
    {
        options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;

        // The framework trusts loopback by default; only what is configured counts here.
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        _addresses.ForEach(options.KnownProxies.Add);
        _networks.ForEach(options.KnownIPNetworks.Add);

        // Walk back through every trusted proxy in a chain; the walk stops at the first address that is not one.
        options.ForwardLimit = null;
    }
}
