using Berth.Core.Storage;
using Berth.Server.Tests.Infrastructure;

namespace Berth.Server.Tests;

/// <summary>
/// Issue 8, finding 3: a path with '.' or '..' segments, plain or percent-encoded, or with an encoded slash, is
/// never served in another repository. Every route is walked; the store must hold nothing new afterwards.
/// </summary>
public sealed class DotSegmentTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    private const string EmptyDigest = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    /// <summary>Stands for the server's host:port in absolute-form targets (Kestrel wants it to match Host).</summary>
    private const string Authority = "{authority}";

    private static readonly string[] Tricks = ["..", ".", "%2e%2e", "%2E%2E", "%2e.", ".%2E", "%2e"];

    private static readonly (string Method, string Suffix)[] Routes =
    [
        ("POST", "blobs/uploads/"),
        ("POST", $"blobs/uploads/?digest={EmptyDigest}"),
        ("POST", $"blobs/uploads/?mount={EmptyDigest}&from=victim/app"),
        ("GET", $"blobs/{EmptyDigest}"),
        ("HEAD", $"blobs/{EmptyDigest}"),
        ("DELETE", $"blobs/{EmptyDigest}"),
        ("GET", "manifests/latest"),
        ("HEAD", "manifests/latest"),
        ("PUT", "manifests/latest"),
        ("DELETE", "manifests/latest"),
        ("GET", "tags/list"),
        ("GET", $"referrers/{EmptyDigest}"),
        ("PATCH", "blobs/uploads/00000000-0000-0000-0000-000000000000"),
        ("PUT", $"blobs/uploads/00000000-0000-0000-0000-000000000000?digest={EmptyDigest}"),
        ("GET", "blobs/uploads/00000000-0000-0000-0000-000000000000"),
        ("DELETE", "blobs/uploads/00000000-0000-0000-0000-000000000000"),
    ];

    public static TheoryData<string, string> Targets()
    {
        var data = new TheoryData<string, string>();
        foreach (var (method, suffix) in Routes)
        {
            foreach (var trick in Tricks)
            {
                // In the name (reaching victim/app from attacker/x), and between the name and the resource.
                data.Add(method, $"/v2/attacker/x/{trick}/{(trick.Length > 3 || trick == ".." ? "../victim/app" : "victim/app")}/{suffix}");
                data.Add(method, $"/v2/victim/app/{trick}/{suffix}");
            }

            data.Add(method, $"/v2/attacker%2F..%2Fvictim/app/{suffix}");

            // Absolute form (RFC 9112 3.2.2): Kestrel takes the path from System.Uri, which reads '\' as '/' and
            // then removes the dot segments the raw target hid behind backslashes.
            data.Add(method, $"http://{Authority}/v2/attacker/x\\..\\..\\victim/app/{suffix}");
            data.Add(method, $"http://{Authority}/v2/attacker/x/..\\..\\victim/app/{suffix}");
            data.Add(method, $"/v2/attacker/x%2F..%2F..%2Fvictim%2Fapp/{suffix}");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task Path_with_dot_segments_or_encoded_slashes_never_acts_in_another_repository(string method, string target)
    {
        target = target.Replace(Authority, registry.BaseAddress.Authority, StringComparison.Ordinal);
        var before = await RepositoryTreeAsync();

        var response = await RawHttp.SendAsync(registry.BaseAddress, method, target, method is "PUT" or "PATCH" or "POST" ? "{}"u8.ToArray() : null);

        Assert.True(response.Status is 400 or 404 or 405, $"{method} {target}: {response.Status} {response.Body}");
        if (response.Status == 400 && method != "HEAD")
        {
            Assert.Contains("\"NAME_INVALID\"", response.Body, StringComparison.Ordinal);
        }

        Assert.Equal(before, await RepositoryTreeAsync());
    }

    /// <summary>Every path under the repositories root, through the driver, so the check holds on Azure too.</summary>
    private async Task<List<string>> RepositoryTreeAsync()
    {
        var result = new List<string>();
        var pending = new Stack<string>([RegistryPaths.RepositoriesRoot]);
        while (pending.Count > 0 && result.Count < 10_000)
        {
            var path = pending.Pop();
            foreach (var child in await registry.Services.Driver.ListAsync(path) ?? [])
            {
                result.Add($"{path}/{child}");
                pending.Push($"{path}/{child}");
            }
        }

        result.Sort(StringComparer.Ordinal);
        return result;
    }
}
