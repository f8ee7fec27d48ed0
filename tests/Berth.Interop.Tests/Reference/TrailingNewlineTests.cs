using System.Text.Json;

namespace Berth.Interop.Tests.Reference;

/// <summary>
/// A trailing newline (or carriage return) after a valid tag, digest or repository name. Issue 8, class 4. In .NET
/// a regex '$' also matches before a final '\n', so "nl\n" passes a '^…$' grammar unless the check is exact;
/// registry:2's router refuses such references (plain-text 404).
/// </summary>
[Collection(ReferenceCollection.Name)]
public sealed class TrailingNewlineTests(ReferencePair pair)
{
    private const string Empty = EmptyImage.EmptyBlob;
    private const string ManifestType = EmptyImage.ManifestType;

    /// <summary>registry:2 answers a router 404 (no tag is created); Berth must refuse with 400 TAG_INVALID, as it
    /// does for every other invalid tag, and create no tag — neither "nl\n" nor "nl".</summary>
    [Theory]
    [InlineData("nl%0A")]
    [InlineData("nl%0D")]
    [InlineData("nl%0D%0A")]
    [InlineData("nl%0A%0A")]
    public async Task Manifest_put_to_a_tag_with_a_trailing_newline_creates_no_tag(string reference)
    {
        // One repository per case, so a tag left by one case cannot be blamed on another.
        var repository = "alice/m-" + reference.Replace("%", string.Empty, StringComparison.Ordinal).ToLowerInvariant();
        await EmptyImage.UploadEmptyBlobAsync(pair, repository);
        var target = $"/v2/{repository}/manifests/{reference}";
        var (registry2, berth) = await pair.SendToBothAsync("PUT", target, EmptyImage.Manifest, ManifestType);
        Assert.False(registry2.IsSuccess, $"registry:2 answered {registry2}");
        ReferenceAssert.Refused($"PUT {target}", berth, (400, "TAG_INVALID"));

        var tags = await pair.SendToBerthAsync("GET", $"/v2/{repository}/tags/list");
        if (tags.Status == 200)
        {
            using var listing = JsonDocument.Parse(tags.Body);
            var names = listing.RootElement.GetProperty("tags");
            Assert.DoesNotContain(names.ValueKind == JsonValueKind.Array ? names.EnumerateArray().Select(t => t.GetString()) : [], t => t!.StartsWith("nl", StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("HEAD")]
    [InlineData("DELETE")]
    public async Task A_tag_or_digest_with_a_trailing_newline_does_not_name_the_manifest_without_it(string method)
    {
        await EmptyImage.UploadEmptyBlobAsync(pair, "alice/m");
        foreach (Send send in new Send[] { pair.SendToRegistry2Async, pair.SendToBerthAsync })
        {
            Assert.Equal(201, (await send("PUT", "/v2/alice/m/manifests/kept", EmptyImage.Manifest, ManifestType)).Status);
        }

        var digest = OciLayout.Sha256(EmptyImage.Manifest);
        foreach (var reference in new[] { "kept%0A", digest + "%0A" })
        {
            var target = $"/v2/alice/m/manifests/{reference}";
            var (registry2, berth) = await pair.SendToBothAsync(method, target);
            Assert.Equal(404, registry2.Status);
            ReferenceAssert.Refused($"{method} {target}", berth, (404, "MANIFEST_UNKNOWN"), (400, "TAG_INVALID"), (400, "DIGEST_INVALID"));
        }

        // The manifest itself is untouched, whichever method was tried.
        Assert.Equal(200, (await pair.SendToBerthAsync("HEAD", "/v2/alice/m/manifests/kept", headers: $"Accept: {ManifestType}")).Status);
    }

    /// <summary>registry:2 ignores a mount it cannot honour and opens an upload session (202); Berth answers the same.
    /// An invalid mount digest may instead be refused with 400 DIGEST_INVALID (Berth is stricter); never a 5xx.</summary>
    [Theory]
    [InlineData("mount=" + Empty + "&from=alice/app%0A")]
    [InlineData("mount=" + Empty + "&from=alice/app%0D%0A")]
    [InlineData("mount=" + Empty + "&from=%0A")]
    [InlineData("mount=" + Empty + "%0A&from=alice/app")]
    public async Task Mount_with_a_trailing_newline_in_from_or_mount_falls_back_to_an_upload_and_never_fails_with_5xx(string query)
    {
        await EmptyImage.UploadEmptyBlobAsync(pair, "alice/app");
        var target = $"/v2/x/blobs/uploads/?{query}";
        var (registry2, berth) = await pair.SendToBothAsync("POST", target, contentLength: 0);
        Assert.Equal(202, registry2.Status);
        if (berth.Status == 400 && query.Contains(Empty + "%0A", StringComparison.Ordinal))
        {
            ReferenceAssert.Refused($"POST {target}", berth, (400, "DIGEST_INVALID"));
            return;
        }

        ReferenceAssert.SameAnswer($"POST {target}", registry2, berth);
    }

    [Theory]
    [InlineData("POST", "/v2/alice/app%0A/blobs/uploads/")]
    [InlineData("GET", "/v2/alice/app%0A/tags/list")]
    [InlineData("GET", "/v2/alice/app%0A/manifests/latest")]
    [InlineData("GET", "/v2/alice/app%0A/blobs/" + Empty)]
    public async Task A_repository_name_with_a_trailing_newline_is_refused_and_writes_nothing(string method, string target)
    {
        var before = pair.SnapshotBerthDisk();
        var (registry2, berth) = await pair.SendToBothAsync(method, target, contentLength: method == "POST" ? 0 : null);
        Assert.Equal(404, registry2.Status);
        ReferenceAssert.Refused($"{method} {target}", berth, (400, "NAME_INVALID"), (404, null));
        Assert.Equal(before, pair.SnapshotBerthDisk());
    }
}
