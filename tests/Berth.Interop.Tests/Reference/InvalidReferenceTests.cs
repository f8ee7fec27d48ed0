using System.Text.Json;

namespace Berth.Interop.Tests.Reference;

/// <summary>
/// References that are neither a valid tag nor a valid digest, on every route that takes one. Issue 8, class 2.
/// registry:2 is the reference where its answer is a spec answer. Where it is not, the comment says which
/// reference the test uses instead: registry:2's router answers a plain-text "404 page not found" (no JSON error)
/// for references outside its grammar, and a 500 for digest-shaped manifest references it cannot parse.
/// </summary>
[Collection(ReferenceCollection.Name)]
public sealed class InvalidReferenceTests(ReferencePair pair)
{
    private const string Repository = "refs/app";
    private const string Empty = EmptyImage.EmptyBlob;
    private const string ManifestType = EmptyImage.ManifestType;

    /// <summary>As they appear in the URL; none is a valid tag or digest once decoded.</summary>
    public static TheoryData<string> Invalid => new()
    {
        ".INVALID_MANIFEST_NAME",
        "-x",
        new string('a', 129),
        "md5:abc",
        "sha256:abc",
        "sha256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855",
        "sha256:",
        "a%20b",
        "a%2fb",
        "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855%0A",
    };

    /// <summary>
    /// OCI conformance suite ("GET nonexistent manifest should return 404", reference .INVALID_MANIFEST_NAME): a read
    /// of such a reference is 404 MANIFEST_UNKNOWN. registry:2 agrees on the status for non-digest shapes (router 404)
    /// and answers 500 for digest-shaped ones (its bug, not a reference); for those 400 DIGEST_INVALID, as registry:2
    /// answers on the blob route, is also allowed.
    /// </summary>
    [Theory]
    [MemberData(nameof(Invalid))]
    public async Task Manifest_get_and_head_of_an_invalid_reference_is_manifest_unknown(string reference)
    {
        foreach (var method in new[] { "GET", "HEAD" })
        {
            var target = $"/v2/{Repository}/manifests/{reference}";
            var berth = await pair.SendToBerthAsync(method, target);
            ReferenceAssert.Refused($"{method} {target}", berth, [(404, "MANIFEST_UNKNOWN"), .. DigestShaped(reference) ? [(400, "DIGEST_INVALID")] : Array.Empty<(int, string?)>()]);
        }
    }

    /// <summary>
    /// Berth is stricter than registry:2 here (which answers a router 404 or a 500): a PUT to an invalid reference is
    /// the client's mistake, so 400 with the spec's code (TAG_INVALID, or DIGEST_INVALID for a digest-shaped one; or
    /// MANIFEST_INVALID), and no tag appears.
    /// </summary>
    [Theory]
    [MemberData(nameof(Invalid))]
    public async Task Manifest_put_to_an_invalid_reference_is_refused_with_400_and_creates_no_tag(string reference)
    {
        var manifest = await ValidManifestAsync();
        var before = await BerthTagsAsync();
        var target = $"/v2/{Repository}/manifests/{reference}";
        var berth = await pair.SendToBerthAsync("PUT", target, manifest, ManifestType);
        ReferenceAssert.Refused($"PUT {target}", berth, (400, "TAG_INVALID"), (400, "DIGEST_INVALID"), (400, "MANIFEST_INVALID"));
        Assert.Equal(before, await BerthTagsAsync());
    }

    /// <summary>
    /// registry:2 answers a router 404 or 400 DIGEST_INVALID (it deletes by digest only). Berth also deletes by tag
    /// (distribution-spec 1.1), so 400 TAG_INVALID/DIGEST_INVALID or 404 MANIFEST_UNKNOWN; never 2xx or 5xx.
    /// </summary>
    [Theory]
    [MemberData(nameof(Invalid))]
    public async Task Manifest_delete_of_an_invalid_reference_is_a_4xx_json_error(string reference)
    {
        var target = $"/v2/{Repository}/manifests/{reference}";
        var berth = await pair.SendToBerthAsync("DELETE", target);
        ReferenceAssert.Refused($"DELETE {target}", berth, (400, "TAG_INVALID"), (400, "DIGEST_INVALID"), (404, "MANIFEST_UNKNOWN"));
    }

    [Fact]
    public async Task A_128_character_tag_is_valid_and_a_129_character_tag_is_not()
    {
        var manifest = await ValidManifestAsync();
        var longest = new string('t', 128);
        var (registry2, berth) = await pair.SendToBothAsync("GET", $"/v2/{Repository}/manifests/{longest}");
        ReferenceAssert.SameAnswer($"GET …/manifests/<128 chars> before the push", registry2, berth);

        (registry2, berth) = await pair.SendToBothAsync("PUT", $"/v2/{Repository}/manifests/{longest}", manifest, ManifestType);
        ReferenceAssert.SameAnswer("PUT …/manifests/<128 chars>", registry2, berth);
        Assert.Equal(201, berth.Status);
        Assert.Contains(longest, await BerthTagsAsync());

        berth = await pair.SendToBerthAsync("PUT", $"/v2/{Repository}/manifests/{longest}x", manifest, ManifestType);
        ReferenceAssert.Refused("PUT …/manifests/<129 chars>", berth, (400, "TAG_INVALID"));
    }

    /// <summary>Both registries decode %41 to 'A' before checking the grammar: a%41 names the tag aA.</summary>
    [Fact]
    public async Task A_percent_encoded_letter_in_a_tag_is_decoded_as_registry2_decodes_it()
    {
        var manifest = await ValidManifestAsync();
        var (registry2, berth) = await pair.SendToBothAsync("PUT", $"/v2/{Repository}/manifests/enc%41", manifest, ManifestType);
        ReferenceAssert.SameAnswer("PUT …/manifests/enc%41", registry2, berth);
        (registry2, berth) = await pair.SendToBothAsync("GET", $"/v2/{Repository}/manifests/encA", headers: $"Accept: {ManifestType}");
        ReferenceAssert.SameAnswer("GET …/manifests/encA", registry2, berth);
        Assert.Contains("encA", await BerthTagsAsync());
    }

    /// <summary>registry:2 2.8 ignores n and last on tags/list; Berth paginates (distribution-spec) and may refuse a
    /// non-numeric n with 400 PAGINATION_NUMBER_INVALID (as registry:2 3.x does), but never answers 5xx.</summary>
    [Theory]
    [InlineData("last=.INVALID_MANIFEST_NAME")]
    [InlineData("last=-x")]
    [InlineData("last=%0A")]
    [InlineData("last=md5:abc")]
    [InlineData("last=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("n=-1")]
    [InlineData("n=abc")]
    [InlineData("n=99999999999999999999")]
    [InlineData("n=1&last=%2e%2e")]
    public async Task Tags_list_with_an_invalid_last_or_n_never_fails_with_5xx(string query)
    {
        var manifest = await ValidManifestAsync();
        foreach (Send send in new Send[] { pair.SendToRegistry2Async, pair.SendToBerthAsync })
        {
            Assert.Equal(201, (await send("PUT", $"/v2/{Repository}/manifests/listed", manifest, ManifestType)).Status);
        }

        var target = $"/v2/{Repository}/tags/list?{query}";
        var (registry2, berth) = await pair.SendToBothAsync("GET", target);
        Assert.Equal(200, registry2.Status);
        if (query.StartsWith("n=", StringComparison.Ordinal) && berth.Status == 400)
        {
            ReferenceAssert.Refused($"GET {target}", berth, (400, "PAGINATION_NUMBER_INVALID"));
            return;
        }

        Assert.True(berth.Status == 200, $"GET {target}: registry:2 answered {registry2}, berth answered {berth}");
        using var listing = JsonDocument.Parse(berth.Body);
        Assert.Equal(Repository, listing.RootElement.GetProperty("name").GetString());
    }

    /// <summary>
    /// registry:2 2.8 has no referrers API (router 404), so the reference is the distribution-spec 1.1: "If the
    /// request is invalid, such as a &lt;digest&gt; with an invalid syntax, a 400 Bad Request MUST be returned", and a
    /// registry that supports the API "MUST NOT return a 404".
    /// </summary>
    [Theory]
    [MemberData(nameof(Invalid))]
    public async Task Referrers_of_an_invalid_digest_is_400(string reference)
    {
        var target = $"/v2/{Repository}/referrers/{reference}";
        var berth = await pair.SendToBerthAsync("GET", target);
        ReferenceAssert.Refused($"GET {target}", berth, (400, null));
    }

    [Fact]
    public async Task Referrers_of_a_valid_unknown_digest_is_an_empty_index()
    {
        var target = $"/v2/{Repository}/referrers/sha256:{new string('0', 64)}";
        var berth = await pair.SendToBerthAsync("GET", target);
        Assert.True(berth.Status == 200, $"GET {target}: berth answered {berth}");
        using var index = JsonDocument.Parse(berth.Body);
        Assert.Equal(0, index.RootElement.GetProperty("manifests").GetArrayLength());
    }

    /// <summary>registry:2 is the reference on the blob routes: 400 DIGEST_INVALID for digest-shaped references,
    /// 404 for the rest; Berth answers the same status and, where registry:2 sends one, the same code.</summary>
    [Theory]
    [MemberData(nameof(Invalid))]
    public async Task Blob_get_head_and_delete_of_an_invalid_digest_answer_as_registry2(string reference)
    {
        foreach (var method in new[] { "GET", "HEAD", "DELETE" })
        {
            var target = $"/v2/{Repository}/blobs/{reference}";
            var (registry2, berth) = await pair.SendToBothAsync(method, target);
            ReferenceAssert.SameAnswer($"{method} {target}", registry2, berth);
        }
    }

    [Fact]
    public async Task A_percent_encoded_digest_character_is_decoded_on_the_blob_route_as_registry2_decodes_it()
    {
        await ValidManifestAsync();
        var target = $"/v2/{Repository}/blobs/{Empty[..^1]}%35";
        foreach (var method in new[] { "GET", "HEAD" })
        {
            var (registry2, berth) = await pair.SendToBothAsync(method, target);
            ReferenceAssert.SameAnswer($"{method} {target}", registry2, berth);
        }
    }

    private static bool DigestShaped(string reference) => reference.Contains(':', StringComparison.Ordinal);

    private async Task<byte[]> ValidManifestAsync()
    {
        await EmptyImage.UploadEmptyBlobAsync(pair, Repository);
        return EmptyImage.Manifest;
    }

    private async Task<string[]> BerthTagsAsync()
    {
        var answer = await pair.SendToBerthAsync("GET", $"/v2/{Repository}/tags/list");
        if (answer.Status == 404)
        {
            return [];
        }

        using var listing = JsonDocument.Parse(answer.Body);
        return listing.RootElement.TryGetProperty("tags", out var tags) && tags.ValueKind == JsonValueKind.Array
            ? tags.EnumerateArray().Select(t => t.GetString()!).Order(StringComparer.Ordinal).ToArray()
            : [];
    }
}
