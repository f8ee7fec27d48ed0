using System.Net;
using System.Text.Json.Nodes;
using Berth.Server.Tests.Infrastructure;

namespace Berth.Server.Tests;

/// <summary>distribution-spec v1.1: the referrers API and the OCI-Subject header.</summary>
public sealed class ReferrerTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    private const string SignatureType = "application/vnd.example.signature.v1";
    private const string SbomConfigType = "application/vnd.example.sbom.config.v1+json";

    private readonly HttpClient _client = registry.Client;

    [Fact]
    public async Task Referrers_of_an_unknown_subject_is_an_empty_index_with_200()
    {
        using var response = await _client.GetAsync($"v2/{Names.Repository()}/referrers/{Digests.Unknown()}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(MediaType.OciIndex, response.Content.Headers.ContentType?.MediaType);
        var index = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(2, index["schemaVersion"]!.GetValue<int>());
        Assert.Equal(MediaType.OciIndex, index["mediaType"]!.GetValue<string>());
        Assert.Empty(index["manifests"]!.AsArray());
    }

    [Fact]
    public async Task Referrers_are_listed_with_artifact_type_and_annotations()
    {
        var repository = Names.Repository();
        var subject = await _client.PushImageAsync(repository, "v1");
        var (signature, signatureDigest) = await PushReferrerAsync(repository, subject, SignatureType, MediaType.OciEmpty, new() { ["org.example.signer"] = "alice" });
        var (sbom, sbomDigest) = await PushReferrerAsync(repository, subject, artifactType: null, SbomConfigType, new() { ["org.example.format"] = "spdx" });
        await _client.PushImageAsync(repository, "unrelated");

        using var response = await _client.GetAsync($"v2/{repository}/referrers/{subject.Digest}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(MediaType.OciIndex, response.Content.Headers.ContentType?.MediaType);
        var manifests = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["manifests"]!.AsArray();
        Assert.Equal(2, manifests.Count);
        var signatureEntry = manifests.Single(m => m!["digest"]!.GetValue<string>() == signatureDigest)!;
        Assert.Equal(MediaType.OciManifest, signatureEntry["mediaType"]!.GetValue<string>());
        Assert.Equal(signature.Length, signatureEntry["size"]!.GetValue<long>());
        Assert.Equal(SignatureType, signatureEntry["artifactType"]!.GetValue<string>());
        Assert.Equal("alice", signatureEntry["annotations"]!["org.example.signer"]!.GetValue<string>());

        // image-spec: without artifactType, the config's media type is the artifact type.
        var sbomEntry = manifests.Single(m => m!["digest"]!.GetValue<string>() == sbomDigest)!;
        Assert.Equal(SbomConfigType, sbomEntry["artifactType"]!.GetValue<string>());
        Assert.Equal(sbom.Length, sbomEntry["size"]!.GetValue<long>());
        Assert.Equal("spdx", sbomEntry["annotations"]!["org.example.format"]!.GetValue<string>());
    }

    [Fact]
    public async Task Referrers_filtered_by_artifact_type_say_so_in_OCI_Filters_Applied()
    {
        var repository = Names.Repository();
        var subject = await _client.PushImageAsync(repository, "v1");
        var (_, signatureDigest) = await PushReferrerAsync(repository, subject, SignatureType, MediaType.OciEmpty, []);
        await PushReferrerAsync(repository, subject, null, SbomConfigType, []);

        using var response = await _client.GetAsync($"v2/{repository}/referrers/{subject.Digest}?artifactType={Uri.EscapeDataString(SignatureType)}");
        using var unfiltered = await _client.GetAsync($"v2/{repository}/referrers/{subject.Digest}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("artifactType", response.Header("OCI-Filters-Applied"));
        var manifests = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["manifests"]!.AsArray();
        Assert.Equal([signatureDigest], manifests.Select(m => m!["digest"]!.GetValue<string>()));
        Assert.Null(unfiltered.HeaderOrNull("OCI-Filters-Applied"));
    }

    [Fact]
    public async Task Manifest_whose_subject_is_missing_is_accepted_with_OCI_Subject_and_listed()
    {
        var repository = Names.Repository();
        var absent = Digests.Unknown();
        var empty = "{}"u8.ToArray();
        await _client.PushBlobAsync(repository, empty);
        var manifest = ManifestBuilder.Image(ImageFormat.Oci, ManifestBuilder.Descriptor(MediaType.OciEmpty, empty), [ManifestBuilder.Descriptor(MediaType.OciEmpty, empty)]);
        manifest["artifactType"] = SignatureType;
        manifest["subject"] = ManifestBuilder.Descriptor(MediaType.OciManifest, absent, 1234);
        var bytes = manifest.ToBytes();

        using var put = await _client.PutManifestAsync(repository, Digests.Sha256(bytes), bytes, MediaType.OciManifest);
        using var referrers = await _client.GetAsync($"v2/{repository}/referrers/{absent}");

        Assert.True(put.StatusCode == HttpStatusCode.Created, await put.Content.ReadAsStringAsync());
        Assert.Equal(absent, put.Header("OCI-Subject"));
        var manifests = JsonNode.Parse(await referrers.Content.ReadAsStringAsync())!["manifests"]!.AsArray();
        Assert.Equal([Digests.Sha256(bytes)], manifests.Select(m => m!["digest"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Deleted_referrer_is_no_longer_listed()
    {
        var repository = Names.Repository();
        var subject = await _client.PushImageAsync(repository, "v1");
        var (_, digest) = await PushReferrerAsync(repository, subject, SignatureType, MediaType.OciEmpty, []);

        using var deleted = await _client.DeleteAsync($"v2/{repository}/manifests/{digest}");
        using var response = await _client.GetAsync($"v2/{repository}/referrers/{subject.Digest}");

        Assert.Equal(HttpStatusCode.Accepted, deleted.StatusCode);
        Assert.Empty(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["manifests"]!.AsArray());
    }

    [Fact]
    public async Task Referrers_with_an_invalid_digest_returns_400_DIGEST_INVALID()
    {
        using var response = await _client.GetAsync($"v2/{Names.Repository()}/referrers/sha256:1234");

        await ErrorAssert.HasErrorAsync(response, HttpStatusCode.BadRequest, "DIGEST_INVALID");
    }

    private async Task<(byte[] Manifest, string Digest)> PushReferrerAsync(
        string repository, TestImage subject, string? artifactType, string configMediaType, Dictionary<string, string> annotations)
    {
        var config = configMediaType == MediaType.OciEmpty ? "{}"u8.ToArray() : ManifestBuilder.RandomConfig();
        await _client.PushBlobAsync(repository, config);
        var payload = Digests.RandomBytes(64);
        await _client.PushBlobAsync(repository, payload);
        var manifest = ManifestBuilder.Image(ImageFormat.Oci, ManifestBuilder.Descriptor(configMediaType, config), [ManifestBuilder.Descriptor("application/octet-stream", payload)]);
        if (artifactType is not null)
        {
            manifest["artifactType"] = artifactType;
        }

        manifest["subject"] = ManifestBuilder.Descriptor(subject.MediaType, subject.Digest, subject.Manifest.Length);
        if (annotations.Count > 0)
        {
            manifest["annotations"] = new JsonObject(annotations.Select(a => KeyValuePair.Create(a.Key, (JsonNode?)a.Value)));
        }

        var bytes = manifest.ToBytes();
        var digest = Digests.Sha256(bytes);
        using var put = await _client.PutManifestAsync(repository, digest, bytes, MediaType.OciManifest);
        Assert.True(put.StatusCode == HttpStatusCode.Created, await put.Content.ReadAsStringAsync());
        Assert.Equal(subject.Digest, put.Header("OCI-Subject"));
        return (bytes, digest);
    }
}
