using System.Net;
using Berth.Interop.Tests.Support;

namespace Berth.Interop.Tests.Proxy;

/// <summary>
/// Upstreams that want credentials: registry:2 with htpasswd (Basic) and a Berth with its built-in token issuer (the
/// bearer-token dance), side by side in one Berth; and the OCI <c>?ns=</c> query that selects an upstream by host.
/// </summary>
public sealed class UpstreamAuthTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Skopeo_pulls_through_basic_and_bearer_upstreams_and_ns_selects_only_configured_hosts()
    {
        var source = new OciLayout(_temp.Combine("src"));
        source.AddImage("v1", 2, 100_000, seed: 51);
        var line = (await ExternalProcess.RunAsync("htpasswd", ["-nbB", "-C", "5", "robot", "s3cret"], TimeSpan.FromSeconds(30))).EnsureSuccess("htpasswd").Output.Trim();
        var htpasswd = _temp.Combine("htpasswd");
        await File.WriteAllTextAsync(htpasswd, line + "\n");

        await using var basic = await ProxyUpstreams.StartRegistry2Async(_temp, "basic", $"""
            auth:
              htpasswd:
                realm: basic-realm
                path: {htpasswd}
            """);
        await using var bearer = await ProxyUpstreams.StartBerthAsync(_temp, "bearer", $"""
            auth:
              builtin:
                htpasswd: {htpasswd}
                rules:
                  robot:
                    users: [robot]
                    repositories: ["*"]
                    actions: [pull, push]
            """);
        foreach (var upstream in new[] { basic, bearer })
        {
            await Skopeo.CopyAsync(source.Reference("v1"), $"docker://{upstream.Host}/team/app:v1", "--dest-creds", "robot:s3cret");
        }

        await using var berth = await ProxyUpstreams.StartBerthAsync(_temp, "berth", $"""
            proxy:
              upstreams:
                - prefix: basic
                  remoteurl: http://{basic.Host}
                  username: robot
                  password: s3cret
                - prefix: bearer
                  remoteurl: http://{bearer.Host}
                  username: robot
                  password: s3cret
                - prefix: wrong
                  remoteurl: http://{bearer.Host}
                  username: robot
                  password: not-the-password
            """);

        await Skopeo.CopyAsync($"docker://{berth.Host}/basic/team/app:v1", $"oci:{_temp.Combine("from-basic")}:v1");
        SkopeoPushPullTests.AssertSameBlobs(_temp.Combine("src"), _temp.Combine("from-basic"));
        await Skopeo.CopyAsync($"docker://{berth.Host}/bearer/team/app:v1", $"oci:{_temp.Combine("from-bearer")}:v1");
        SkopeoPushPullTests.AssertSameBlobs(_temp.Combine("src"), _temp.Combine("from-bearer"));

        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var refused = await client.GetAsync(new Uri(berth.BaseUri, "v2/wrong/team/app/manifests/v1"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Contains("401", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // containerd's mirror mode: ?ns= names the upstream's host; the content is cached under its prefix.
        using var selected = new HttpRequestMessage(HttpMethod.Get, new Uri(berth.BaseUri, $"v2/team/app/manifests/v1?ns={basic.Host}"));
        selected.Headers.Accept.ParseAdd("application/vnd.oci.image.manifest.v1+json");
        using var viaNs = await client.SendAsync(selected);
        Assert.Equal(HttpStatusCode.OK, viaNs.StatusCode);
        Assert.Equal(basic.Host, viaNs.Headers.GetValues("OCI-Namespace").Single());

        // A host no upstream has is not contacted: the repository is an (empty) hosted one.
        using var unknownHost = await client.GetAsync(new Uri(berth.BaseUri, "v2/team/app/manifests/v1?ns=127.0.0.1:9"));
        Assert.Equal(HttpStatusCode.NotFound, unknownHost.StatusCode);
        Assert.False(unknownHost.Headers.Contains("OCI-Namespace"));
    }
}
