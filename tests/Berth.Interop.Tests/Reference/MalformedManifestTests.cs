using System.Text;

namespace Berth.Interop.Tests.Reference;

/// <summary>
/// Manifests that are JSON but not valid manifests get 400 MANIFEST_INVALID, never a 5xx. Issue 8, class 5.
/// registry:2 answers 400 MANIFEST_INVALID for most of them (and is then the reference); where it does not, the
/// test says why Berth's answer differs.
/// </summary>
[Collection(ReferenceCollection.Name)]
public sealed class MalformedManifestTests(ReferencePair pair)
{
    private const string Repository = "malformed/app";
    private const string Config = $$"""{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{EmptyImage.EmptyBlob}}","size":0}""";
    private const string MediaType = $"\"mediaType\":\"{EmptyImage.ManifestType}\"";
    private const string Layer = $$"""{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"{{EmptyImage.EmptyBlob}}" """;

    /// <summary>registry:2 answers 400 MANIFEST_INVALID to each of these; Berth must answer the same.</summary>
    [Theory]
    [InlineData("schemaVersion 2.5", $$"""{"schemaVersion":2.5,{{MediaType}},"config":{{Config}},"layers":[]}""")]
    [InlineData("schemaVersion 1.0", $$"""{"schemaVersion":1.0,{{MediaType}},"config":{{Config}},"layers":[]}""")]
    [InlineData("schemaVersion \"2\"", $$"""{"schemaVersion":"2",{{MediaType}},"config":{{Config}},"layers":[]}""")]
    [InlineData("urls [1]", $$"""{"schemaVersion":2,{{MediaType}},"config":{{Config}},"layers":[{{Layer}},"size":0,"urls":[1]}]}""")]
    [InlineData("size \"1\"", $$"""{"schemaVersion":2,{{MediaType}},"config":{{Config}},"layers":[{{Layer}},"size":"1"}]}""")]
    [InlineData("size 1.5", $$"""{"schemaVersion":2,{{MediaType}},"config":{{Config}},"layers":[{{Layer}},"size":1.5}]}""")]
    [InlineData("config size 1.5", $$"""{"schemaVersion":2,{{MediaType}},"config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{EmptyImage.EmptyBlob}}","size":1.5},"layers":[]}""")]
    [InlineData("mediaType text/html", """{"schemaVersion":2,"mediaType":"text/html","config":""" + Config + ""","layers":[]}""")]
    public async Task Malformed_manifest_is_manifest_invalid_as_registry2_answers(string what, string manifest)
    {
        await EmptyImage.UploadEmptyBlobAsync(pair, Repository);
        var (registry2, berth) = await PutToBothAsync(manifest);
        ReferenceAssert.SameAnswer($"PUT manifest with {what}", registry2, berth);
        Assert.Equal("MANIFEST_INVALID", berth.ErrorCode);
    }

    /// <summary>registry:2 answers 500 (an overflow in its decoder: not a reference); the spec's answer is 400.</summary>
    [Theory]
    [InlineData("schemaVersion 99999999999", $$"""{"schemaVersion":99999999999,{{MediaType}},"config":{{Config}},"layers":[]}""")]
    [InlineData("schemaVersion 1e400", $$"""{"schemaVersion":1e400,{{MediaType}},"config":{{Config}},"layers":[]}""")]
    [InlineData("size 1e30", $$"""{"schemaVersion":2,{{MediaType}},"config":{{Config}},"layers":[{{Layer}},"size":1e30}]}""")]
    public async Task Manifest_with_an_out_of_range_number_is_manifest_invalid(string what, string manifest)
    {
        await EmptyImage.UploadEmptyBlobAsync(pair, Repository);
        var (registry2, berth) = await PutToBothAsync(manifest);
        ReferenceAssert.Refused($"PUT manifest with {what} (registry:2 answered {registry2})", berth, (400, "MANIFEST_INVALID"));
    }

    /// <summary>
    /// Intended difference: registry:2 reads size -1 into an int64 and accepts the manifest (201) when the blob
    /// exists. The image-spec's size "specifies the size, in bytes, of the raw content", which cannot be negative,
    /// so Berth refuses it with MANIFEST_INVALID before any blob is looked at.
    /// </summary>
    [Fact]
    public async Task Descriptor_with_a_negative_size_is_manifest_invalid()
    {
        await EmptyImage.UploadEmptyBlobAsync(pair, Repository);
        var (registry2, berth) = await PutToBothAsync($$"""{"schemaVersion":2,{{MediaType}},"config":{{Config}},"layers":[{{Layer}},"size":-1}]}""");
        ReferenceAssert.Refused($"PUT manifest with size -1 (registry:2 answered {registry2})", berth, (400, "MANIFEST_INVALID"));
    }

    /// <summary>
    /// Intended difference: registry:2 (Go's encoding/json) takes the last of duplicate keys, so a manifest can mean
    /// one thing to registry:2 and another to a client that takes the first. Berth parses JSON one way only and
    /// refuses duplicate keys with 400 MANIFEST_INVALID.
    /// </summary>
    [Theory]
    [InlineData("mediaType twice, manifest then index", $$"""{"schemaVersion":2,{{MediaType}},"mediaType":"application/vnd.oci.image.index.v1+json","config":{{Config}},"layers":[]}""")]
    [InlineData("mediaType twice, index then manifest", $$"""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json",{{MediaType}},"config":{{Config}},"layers":[]}""")]
    [InlineData("layers twice", $$"""{"schemaVersion":2,{{MediaType}},"config":{{Config}},"layers":[],"layers":[{{Layer}},"size":0}]}""")]
    [InlineData("config twice", $$"""{"schemaVersion":2,{{MediaType}},"config":{{Config}},"config":{{Config}},"layers":[]}""")]
    [InlineData("size twice in a descriptor", $$"""{"schemaVersion":2,{{MediaType}},"config":{{Config}},"layers":[{{Layer}},"size":0,"size":7}]}""")]
    public async Task Manifest_with_duplicate_keys_is_manifest_invalid(string what, string manifest)
    {
        await EmptyImage.UploadEmptyBlobAsync(pair, Repository);
        var (registry2, berth) = await PutToBothAsync(manifest);
        ReferenceAssert.Refused($"PUT manifest with {what} (registry:2 answered {registry2})", berth, (400, "MANIFEST_INVALID"));
    }

    /// <summary>registry:2 decodes with no depth limit and then fails on the blob check or accepts it; Berth's parser
    /// stops at a fixed depth and must say MANIFEST_INVALID, never 5xx.</summary>
    [Theory]
    [InlineData(1000)]
    [InlineData(65)]
    public async Task Manifest_nested_deeper_than_the_parser_allows_is_manifest_invalid(int depth)
    {
        await EmptyImage.UploadEmptyBlobAsync(pair, Repository);
        var nested = new string('[', depth) + new string(']', depth);
        var (registry2, berth) = await PutToBothAsync($$"""{"schemaVersion":2,{{MediaType}},"config":{{Config}},"layers":[],"annotations":{"a":"b"},"x":{{nested}}}""");
        ReferenceAssert.Refused($"PUT manifest nested {depth} deep (registry:2 answered {registry2})", berth, (400, "MANIFEST_INVALID"));
    }

    /// <summary>A Content-Type that is not a manifest type and a body without mediaType: registry:2 answers 400
    /// MANIFEST_INVALID.</summary>
    [Fact]
    public async Task Manifest_sent_as_text_html_is_manifest_invalid_as_registry2_answers()
    {
        await EmptyImage.UploadEmptyBlobAsync(pair, Repository);
        var body = Encoding.UTF8.GetBytes($$"""{"schemaVersion":2,"config":{{Config}},"layers":[]}""");
        var (registry2, berth) = await pair.SendToBothAsync("PUT", $"/v2/{Repository}/manifests/html", body, "text/html");
        ReferenceAssert.SameAnswer("PUT manifest as text/html", registry2, berth);
    }

    private Task<(RawResponse Registry2, RawResponse Berth)> PutToBothAsync(string manifest) =>
        pair.SendToBothAsync("PUT", $"/v2/{Repository}/manifests/bad", Encoding.UTF8.GetBytes(manifest), EmptyImage.ManifestType);
}
