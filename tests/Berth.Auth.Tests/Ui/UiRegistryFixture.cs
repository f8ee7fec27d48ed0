using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Berth.Auth.Tests.Support;

namespace Berth.Auth.Tests.Ui;

/// <summary>
/// One real Berth with the built-in issuer (docs/security.md's worked example: alice administers, bob reads, carol
/// pulls and pushes team-a/*) and images pushed by skopeo: two tags on one digest, another team's repository, a
/// multi-platform index.
/// </summary>
public sealed class UiRegistryFixture : IAsyncLifetime
{
    public const string Alice = "alice:alice-pw-7f3a";

    private readonly TempDirectory _directory = new("berth-ui");
    private AuthRegistry? _registry;

    internal AuthRegistry Registry => _registry!;

    public OciLayout Layout { get; private set; } = null!;

    public string AppDigest { get; private set; } = "";

    /// <summary>Config plus layers of the app image, as the layout wrote them.</summary>
    public long AppSize { get; private set; }

    public string SbomDigest { get; private set; } = "";

    public string Scratch(string name) => _directory.Combine(name);

    public async Task InitializeAsync()
    {
        _registry = await AuthRegistry.StartAsync(_directory, BuiltinConfig.Write(_directory));
        var layoutRoot = _directory.Combine("layout");
        Layout = new OciLayout(layoutRoot);
        AppDigest = Layout.AddImage("app", layerCount: 2, layerBytes: 8192, seed: 21);
        Layout.AddImage("tool", layerCount: 1, layerBytes: 4096, seed: 22);
        Layout.AddMultiArchIndex("multi", seed: 23, "amd64", "arm64");
        AppSize = SizeOf(layoutRoot, AppDigest);

        var host = Registry.Host;
        await PushAsync("app", $"{host}/team-a/app:1.0");
        await PushAsync("app", $"{host}/team-a/app:latest");
        await PushAsync("tool", $"{host}/team-b/tool:2.0");
        await PushAsync("multi", $"{host}/team-a/multi:1", allPlatforms: true);
        await PushSbomAsync(File.ReadAllBytes(Path.Combine(layoutRoot, "blobs", "sha256", AppDigest["sha256:".Length..])).Length);
    }

    public async Task DisposeAsync()
    {
        if (_registry is not null)
        {
            await _registry.DisposeAsync();
        }

        _directory.Dispose();
    }

    private async Task PushAsync(string tag, string destination, bool allPlatforms = false) =>
        (await Skopeo.PushAsync(Layout.Reference(tag), $"docker://{destination}", Alice, allPlatforms: allPlatforms)).EnsureSuccess($"push {destination}");

    /// <summary>An SBOM artifact whose subject is the app image, pushed over the registry API as an OCI 1.1 client does.</summary>
    private async Task PushSbomAsync(int subjectSize)
    {
        using var client = Registry.Client();
        using var tokenRequest = new HttpRequestMessage(HttpMethod.Get, "/auth/token?scope=repository:team-a/app:pull,push");
        tokenRequest.Headers.Authorization = AuthRegistry.Basic("alice", "alice-pw-7f3a");
        using var tokenResponse = await client.SendAsync(tokenRequest);
        tokenResponse.EnsureSuccessStatusCode();
        var token = (await tokenResponse.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        var sbom = Encoding.UTF8.GetBytes("""{"spdxVersion":"SPDX-2.3","name":"app"}""");
        var empty = "{}"u8.ToArray();
        foreach (var blob in new[] { sbom, empty })
        {
            using var upload = await client.PostAsync($"/v2/team-a/app/blobs/uploads/?digest={OciLayout.Sha256(blob)}", new ByteArrayContent(blob));
            upload.EnsureSuccessStatusCode();
        }

        var manifest = Encoding.UTF8.GetBytes($$$"""
            {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","artifactType":"application/spdx+json",
             "config":{"mediaType":"application/vnd.oci.empty.v1+json","digest":"{{{OciLayout.Sha256(empty)}}}","size":2},
             "layers":[{"mediaType":"application/spdx+json","digest":"{{{OciLayout.Sha256(sbom)}}}","size":{{{sbom.Length}}}}],
             "subject":{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{{{AppDigest}}}","size":{{{subjectSize}}}}}
            """);
        SbomDigest = OciLayout.Sha256(manifest);
        using var content = new ByteArrayContent(manifest);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.oci.image.manifest.v1+json");
        using var put = await client.PutAsync($"/v2/team-a/app/manifests/{SbomDigest}", content);
        put.EnsureSuccessStatusCode();
    }

    private static long SizeOf(string layoutRoot, string digest)
    {
        using var manifest = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(layoutRoot, "blobs", "sha256", digest["sha256:".Length..])));
        var root = manifest.RootElement;
        return root.GetProperty("config").GetProperty("size").GetInt64() + root.GetProperty("layers").EnumerateArray().Sum(l => l.GetProperty("size").GetInt64());
    }
}
