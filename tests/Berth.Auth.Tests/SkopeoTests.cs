using Berth.Auth.Tests.Support;

namespace Berth.Auth.Tests;

/// <summary>The real client: skopeo pushes and pulls through htpasswd, the built-in token flow and TLS.</summary>
public sealed class SkopeoTests : IDisposable
{
    private readonly TempDirectory _directory = new("berth-auth");
    private readonly OciLayout _layout;

    public SkopeoTests()
    {
        _layout = new OciLayout(_directory.Combine("layout"));
        _layout.AddImage("v1", layerCount: 2, layerBytes: 8192, seed: 4);
    }

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Skopeo_pushes_and_pulls_through_htpasswd_and_is_refused_without_the_right_password()
    {
        var htpasswd = HtpasswdLines.Write(_directory.Combine("htpasswd"), ("alice", "alice-pw-7f3a"));
        await using var registry = await AuthRegistry.StartAsync(_directory, $"""
            auth:
              htpasswd:
                realm: berth
                path: {htpasswd}
            """);
        var image = $"docker://{registry.Host}/team-a/app:v1";

        var anonymous = await Skopeo.PushAsync(_layout.Reference("v1"), image, null);
        Assert.NotEqual(0, anonymous.ExitCode);
        Assert.Contains("authentication required", anonymous.Error, StringComparison.OrdinalIgnoreCase);
        var wrong = await Skopeo.PushAsync(_layout.Reference("v1"), image, "alice:wrong");
        Assert.NotEqual(0, wrong.ExitCode);

        (await Skopeo.PushAsync(_layout.Reference("v1"), image, "alice:alice-pw-7f3a")).EnsureSuccess("push with credentials");
        (await Skopeo.PullAsync(image, $"oci:{_directory.Combine("pulled")}:v1", "alice:alice-pw-7f3a")).EnsureSuccess("pull with credentials");
        Assert.NotEqual(0, (await Skopeo.PullAsync(image, $"oci:{_directory.Combine("pulled2")}:v1", null)).ExitCode);
    }

    [Fact]
    public async Task Skopeo_follows_the_built_in_token_flow_and_the_policy_holds()
    {
        await using var registry = await AuthRegistry.StartAsync(_directory, BuiltinConfig.Write(_directory));
        var source = _layout.Reference("v1");

        (await Skopeo.PushAsync(source, $"docker://{registry.Host}/team-a/app:v1", "carol:carol-pw-55e0")).EnsureSuccess("carol pushes team-a");
        (await Skopeo.PushAsync(source, $"docker://{registry.Host}/public/app:v1", "alice:alice-pw-7f3a")).EnsureSuccess("alice pushes public");

        Assert.NotEqual(0, (await Skopeo.PushAsync(source, $"docker://{registry.Host}/team-b/app:v1", "carol:carol-pw-55e0")).ExitCode);
        Assert.NotEqual(0, (await Skopeo.PushAsync(source, $"docker://{registry.Host}/team-a/other:v1", "bob:bob-pw-91c2")).ExitCode);
        Assert.NotEqual(0, (await Skopeo.PushAsync(source, $"docker://{registry.Host}/team-a/app:v2", "carol:wrong-password")).ExitCode);

        (await Skopeo.PullAsync($"docker://{registry.Host}/team-a/app:v1", $"oci:{_directory.Combine("bob")}:v1", "bob:bob-pw-91c2")).EnsureSuccess("bob pulls");
        (await Skopeo.PullAsync($"docker://{registry.Host}/public/app:v1", $"oci:{_directory.Combine("anon")}:v1", null)).EnsureSuccess("anonymous pulls public");
        Assert.NotEqual(0, (await Skopeo.PullAsync($"docker://{registry.Host}/team-a/app:v1", $"oci:{_directory.Combine("anon2")}:v1", null)).ExitCode);
    }

    [Fact]
    public async Task Skopeo_pushes_over_tls_verifying_the_certificate_against_a_ca_made_in_the_test()
    {
        using var tls = new TlsFiles(_directory);
        var htpasswd = HtpasswdLines.Write(_directory.Combine("htpasswd"), ("alice", "alice-pw-7f3a"));
        await using var registry = await AuthRegistry.StartAsync(_directory, $"""
            http:
              tls:
                certificate: {tls.Certificate}
                key: {tls.Key}
            auth:
              htpasswd:
                realm: berth
                path: {htpasswd}
            """, scheme: "https");

        (await Skopeo.PushAsync(_layout.Reference("v1"), $"docker://{registry.Host}/secure/app:v1", "alice:alice-pw-7f3a", tls.CertDir)).EnsureSuccess("push over TLS");

        // Without the CA, verification must fail: the certificate is really checked.
        var emptyCertDir = _directory.Combine("no-ca");
        Directory.CreateDirectory(emptyCertDir);
        Assert.NotEqual(0, (await Skopeo.PushAsync(_layout.Reference("v1"), $"docker://{registry.Host}/secure/app:v2", "alice:alice-pw-7f3a", emptyCertDir)).ExitCode);
    }
}
