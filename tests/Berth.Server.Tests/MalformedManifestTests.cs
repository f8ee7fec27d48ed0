using System.Net;
using System.Text;
using Berth.Server.Tests.Infrastructure;

namespace Berth.Server.Tests;

/// <summary>
/// Issue 8, finding 10: every malformed manifest is a 400 MANIFEST_INVALID, never a 500. Each field Berth reads has
/// one JSON type; duplicate keys are refused because two readers could pick different ones.
/// </summary>
public sealed class MalformedManifestTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    private readonly HttpClient _client = registry.Client;

    public static TheoryData<string, string> Mutations => new()
    {
        { "schemaVersion 2.5", "\"schemaVersion\":2" + "|\"schemaVersion\":2.5" },
        { "schemaVersion 1.0", "\"schemaVersion\":2" + "|\"schemaVersion\":1.0" },
        { "schemaVersion 2.0", "\"schemaVersion\":2" + "|\"schemaVersion\":2.0" },
        { "schemaVersion huge", "\"schemaVersion\":2" + "|\"schemaVersion\":99999999999" },
        { "schemaVersion string", "\"schemaVersion\":2" + "|\"schemaVersion\":\"2\"" },
        { "mediaType number", $"\"mediaType\":\"{MediaType.OciManifest}\"" + "|\"mediaType\":7" },
        { "duplicate mediaType", $"\"mediaType\":\"{MediaType.OciManifest}\"" + $"|\"mediaType\":\"{MediaType.OciIndex}\",\"mediaType\":\"{MediaType.OciManifest}\"" },
        { "layers twice differing in case", "\"layers\":[" + "|\"Layers\":[],\"layers\":[" },
        { "nested keys differing in case", "\"size\":" + "|\"Size\":0,\"size\":" },
        { "duplicate schemaVersion", "\"schemaVersion\":2" + "|\"schemaVersion\":1,\"schemaVersion\":2" },
        { "size string", "\"size\":" + "|\"size\":\"1\",\"x\":" },
        { "size fraction", "\"size\":" + "|\"size\":1.5,\"x\":" },
        { "size negative", "\"size\":" + "|\"size\":-1,\"x\":" },
        { "urls with a number", "\"size\":" + "|\"urls\":[1],\"size\":" },
        { "urls a string", "\"size\":" + "|\"urls\":\"http://x\",\"size\":" },
        { "annotation value number", "\"size\":" + "|\"annotations\":{\"a\":1},\"size\":" },
        { "platform a string", "\"size\":" + "|\"platform\":\"linux\",\"size\":" },
        { "digest number", "\"digest\":" + "|\"digest\":1,\"x\":" },
        { "layers an object", "\"layers\":[" + "|\"layers\":{},\"x\":[" },
        { "subject a string", "\"schemaVersion\":2" + "|\"schemaVersion\":2,\"subject\":\"x\"" },
    };

    [Theory]
    [MemberData(nameof(Mutations))]
    public async Task Malformed_manifest_returns_400_MANIFEST_INVALID(string what, string mutation)
    {
        var repository = Names.Repository();
        var image = await _client.PrepareImageAsync(repository, ImageFormat.Oci, layerCount: 1);
        var parts = mutation.Split('|');
        var text = Encoding.UTF8.GetString(image.Manifest).Replace("\\u002B", "+", StringComparison.Ordinal);
        var index = text.IndexOf(parts[0], StringComparison.Ordinal);
        Assert.True(index >= 0, $"{what}: '{parts[0]}' not in {text}");
        var mutated = string.Concat(text.AsSpan(0, index), parts[1], text.AsSpan(index + parts[0].Length));

        using var response = await _client.PutManifestAsync(repository, "t", Encoding.UTF8.GetBytes(mutated), MediaType.OciManifest);

        await ErrorAssert.HasErrorAsync(response, HttpStatusCode.BadRequest, "MANIFEST_INVALID");
    }

    [Fact]
    public async Task Deeply_nested_manifest_returns_400_MANIFEST_INVALID()
    {
        var repository = Names.Repository();
        var nested = "{\"schemaVersion\":2,\"x\":" + new string('[', 1000) + new string(']', 1000) + "}";

        using var response = await _client.PutManifestAsync(repository, "t", Encoding.UTF8.GetBytes(nested), MediaType.OciManifest);

        await ErrorAssert.HasErrorAsync(response, HttpStatusCode.BadRequest, "MANIFEST_INVALID");
    }

    [Fact]
    public async Task Optional_fields_given_as_null_are_accepted_as_absent()
    {
        var repository = Names.Repository();
        var image = await _client.PrepareImageAsync(repository, ImageFormat.Oci, layerCount: 1);
        var text = Encoding.UTF8.GetString(image.Manifest);
        var withNulls = "{\"annotations\":null,\"subject\":null," + text[1..];

        using var response = await _client.PutManifestAsync(repository, "t", Encoding.UTF8.GetBytes(withNulls), MediaType.OciManifest);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }
}
