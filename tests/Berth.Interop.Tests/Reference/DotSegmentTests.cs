namespace Berth.Interop.Tests.Reference;

/// <summary>
/// Dot segments (plain and percent-encoded) and encoded slashes in the repository and in the reference, on every
/// route. Issue 8, class 3. registry:2 answers 301 to the cleaned path for dot segments and accepts %2F as '/'; Berth
/// need not redirect. What users rely on, asserted here: never a 2xx for such a path, nothing written or removed
/// anywhere on disk, and a 400 NAME_INVALID (TAG_INVALID/DIGEST_INVALID for the reference part) or a 404.
/// The requests are written on a raw socket: HttpClient would clean the dot segments before sending.
/// </summary>
[Collection(ReferenceCollection.Name)]
public sealed class DotSegmentTests(ReferencePair pair)
{
    private const string Empty = EmptyImage.EmptyBlob;
    private const string UploadId = "0f6a1b2c-3d4e-4f50-8a9b-0c1d2e3f4a5b";

    /// <summary>Each names, once cleaned, another repository (victim/app), the same one by another spelling, or a
    /// path above /v2/.</summary>
    private static readonly string[] RepositorySpellings =
    [
        "dots/../victim/app", "dots/%2e%2e/victim/app", "dots/%2E./victim/app", "dots/.%2e/victim/app", "dots/%2E%2E/victim/app",
        "dots/./app", "dots/%2e/app", "dots%2fapp", "dots%2Fapp", "dots/app/%2e%2e/%2e%2e/victim/app",
        "../victim/app", "%2e%2e/victim/app", "dots/app/..", "dots/app/.", "dots/app%2f..%2f..%2fvictim/app",
    ];

    private static readonly string[] ReferenceSpellings =
    [
        "..", ".", "%2e%2e", "%2E.", ".%2e", "%2e", "..%2f..%2fvictim", "%2e%2e%2f%2e%2e%2f%2e%2e%2fvictim%2fapp",
    ];

    public static TheoryData<string, string> Routes => new()
    {
        { "GET", "/v2/{repo}/blobs/{ref}" },
        { "HEAD", "/v2/{repo}/blobs/{ref}" },
        { "DELETE", "/v2/{repo}/blobs/{ref}" },
        { "POST", "/v2/{repo}/blobs/uploads/" },
        { "POST", "/v2/{repo}/blobs/uploads/?mount=" + Empty + "&from=victim/app" },
        { "PATCH", "/v2/{repo}/blobs/uploads/{ref}" },
        { "PUT", "/v2/{repo}/blobs/uploads/{ref}?digest=" + Empty },
        { "GET", "/v2/{repo}/blobs/uploads/{ref}" },
        { "DELETE", "/v2/{repo}/blobs/uploads/{ref}" },
        { "GET", "/v2/{repo}/manifests/{ref}" },
        { "HEAD", "/v2/{repo}/manifests/{ref}" },
        { "PUT", "/v2/{repo}/manifests/{ref}" },
        { "DELETE", "/v2/{repo}/manifests/{ref}" },
        { "GET", "/v2/{repo}/tags/list" },
        { "GET", "/v2/{repo}/referrers/{ref}" },
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Dot_segments_and_encoded_slashes_in_the_repository_are_refused_and_write_nothing(string method, string route)
    {
        await SeedAsync();
        var reference = route.Contains("/uploads/{ref}", StringComparison.Ordinal) ? UploadId : route.Contains("/manifests/", StringComparison.Ordinal) ? "v1" : Empty;
        var targets = RepositorySpellings.Select(repository => route.Replace("{repo}", repository, StringComparison.Ordinal).Replace("{ref}", reference, StringComparison.Ordinal));
        await AssertAllRefusedAsync(method, targets.ToArray());
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Dot_segments_and_encoded_slashes_in_the_reference_are_refused_and_write_nothing(string method, string route)
    {
        if (!route.Contains("{ref}", StringComparison.Ordinal))
        {
            // The same route with the dot segment where a reference would be: after the repository's last segment.
            route = route.Replace("{repo}", "dots/app/{ref}", StringComparison.Ordinal);
        }

        await SeedAsync();
        var targets = ReferenceSpellings.Select(reference => route.Replace("{repo}", "dots/app", StringComparison.Ordinal).Replace("{ref}", reference, StringComparison.Ordinal));
        await AssertAllRefusedAsync(method, targets.ToArray());
    }

    /// <summary>
    /// registry:2 ignores a mount whose from= is not a valid repository name and opens an upload session (202).
    /// (In the query, %2F is an ordinary encoded '/': from=victim%2Fapp is victim/app to both.)
    /// Berth must answer the same (or refuse the name with 400 NAME_INVALID), and never link the blob into the target
    /// from a source it did not name exactly.
    /// </summary>
    [Theory]
    [InlineData(1, "victim/../victim/app")]
    [InlineData(2, "victim/%2e%2e/victim/app")]
    [InlineData(3, "victim/./app")]
    [InlineData(4, "../victim/app")]
    [InlineData(5, "victim/app/..")]
    [InlineData(6, "victim/app/")]
    [InlineData(7, "victim/app/%2e")]
    public async Task Mount_from_a_repository_spelled_with_dot_segments_mounts_nothing(int number, string from)
    {
        await SeedAsync();
        var repository = $"mount-target/case{number}";
        var target = $"/v2/{repository}/blobs/uploads/?mount={Empty}&from={from}";
        var (registry2, berth) = await pair.SendToBothAsync("POST", target, contentLength: 0);
        Assert.Equal(202, registry2.Status);
        if (berth.Status == 400)
        {
            ReferenceAssert.Refused($"POST {target}", berth, (400, "NAME_INVALID"));
        }
        else
        {
            ReferenceAssert.SameAnswer($"POST {target}", registry2, berth);
        }

        Assert.Equal(404, (await pair.SendToBerthAsync("HEAD", $"/v2/{repository}/blobs/{Empty}")).Status);
    }

    private async Task AssertAllRefusedAsync(string method, string[] targets)
    {
        var failures = new List<string>();
        foreach (var target in targets)
        {
            var isManifest = target.Contains("/manifests/", StringComparison.Ordinal);
            var body = method == "PATCH" ? "x"u8.ToArray() : method == "PUT" && isManifest ? EmptyImage.Manifest : null;
            var before = pair.SnapshotBerthDisk();
            var berth = await pair.SendToBerthAsync(method, target, body, body is null ? null : isManifest ? EmptyImage.ManifestType : "application/octet-stream", body is null && method is "POST" or "PUT" or "PATCH" ? 0 : null);
            var after = pair.SnapshotBerthDisk();
            var changed = after.Except(before).Select(p => "+" + p).Concat(before.Except(after).Select(p => "-" + p)).ToList();
            var allowed = berth.Status == 404 || berth.Status == 400 && (method == "HEAD" || berth.ErrorCode is "NAME_INVALID" or "TAG_INVALID" or "DIGEST_INVALID");
            if (!allowed || changed.Count > 0)
            {
                var registry2 = await pair.SendToRegistry2Async(method, target, body, null, body is null && method is "POST" or "PUT" or "PATCH" ? 0 : null);
                failures.Add($"{method} {target}: berth {berth}{(changed.Count > 0 ? $", changed on disk {string.Join(", ", changed.Take(4))}" : string.Empty)} (registry:2 {registry2.Status})");
            }
        }

        Assert.True(failures.Count == 0, $"expected 400 NAME_INVALID/TAG_INVALID/DIGEST_INVALID or 404 and nothing changed on disk:\n{string.Join("\n", failures)}");
    }

    /// <summary>On Berth, dots/app and victim/app each hold the empty blob and a tag v1, so a request that reached them could succeed.</summary>
    private async Task SeedAsync()
    {
        foreach (var repository in new[] { "dots/app", "victim/app" })
        {
            await EmptyImage.UploadEmptyBlobAsync(pair, repository);
            Assert.Equal(201, (await pair.SendToBerthAsync("PUT", $"/v2/{repository}/manifests/v1", EmptyImage.Manifest, EmptyImage.ManifestType)).Status);
        }
    }
}
