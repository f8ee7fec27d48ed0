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

    private static long SizeOf(string layoutRoot, string digest)
    {
        using var manifest = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(layoutRoot, "blobs", "sha256", digest["sha256:".Length..])));
        var root = manifest.RootElement;
        return root.GetProperty("config").GetProperty("size").GetInt64() + root.GetProperty("layers").EnumerateArray().Sum(l => l.GetProperty("size").GetInt64());
    }
}
