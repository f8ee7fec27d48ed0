using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Berth.Interop.Tests.Support;
using Xunit.Abstractions;

namespace Berth.Interop.Tests.Packaging;

/// <summary>
/// The image scripts/build-image.sh builds from the Containerfile: built with podman (root, vfs, private storage),
/// pushed into a Berth, carrying registry:2's entrypoint, arguments, port and volume, and serving /v2/ as its
/// non-root user from nothing but its own rootfs.
/// </summary>
public sealed class ContainerImageTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    private readonly TempDirectory _temp = new();

    // podman refuses a --runroot longer than 50 characters.
    private readonly TempDirectory _runRoot = new("pm");
    private readonly string _tag = $"localhost/berth-test:{Guid.NewGuid():N}";
    private RegistryProcess? _registry;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await PodmanAsync(check: false, "rm", "--force", "--all");
        if (_registry is not null)
        {
            await _registry.DisposeAsync();
        }

        _runRoot.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task The_image_builds_offline_pushes_into_berth_and_serves_the_registry_api_as_a_non_root_user()
    {
        var build = await ExternalProcess.RunAsync(
            "bash", [Path.Combine(RepositoryRoot.Path, "scripts", "build-image.sh"), _tag], Timeout,
            new Dictionary<string, string> { ["PODMAN_ROOT"] = PodmanRoot, ["PODMAN_RUNROOT"] = _runRoot.Path });
        build.EnsureSuccess("scripts/build-image.sh");
        var size = long.Parse((await PodmanAsync(check: true, "image", "inspect", "--format", "{{.Size}}", _tag)).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        output.WriteLine($"image {_tag}: {size / 1_000_000.0:0.0} MB (registry:2 2.8: about 25 MB)");

        _registry = await RegistryProcess.StartBerthOnDiskAsync(_temp);
        await PodmanAsync(check: true, "push", "--tls-verify=false", _tag, $"docker://{_registry.Host}/berth/berth:test");
        var config = JsonNode.Parse(await SkopeoConfigAsync($"docker://{_registry.Host}/berth/berth:test"))!["config"]!;
        Assert.Equal(["/usr/bin/berth"], config["Entrypoint"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(["serve", "/etc/docker/registry/config.yml"], config["Cmd"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal("65532:65532", config["User"]!.GetValue<string>());
        Assert.NotNull(config["ExposedPorts"]!["5000/tcp"]);
        Assert.NotNull(config["Volumes"]!["/var/lib/registry"]);

        var port = FreePort.Next();
        await using var running = await RunAsync(port);
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(30);
        HttpResponseMessage? answer = null;
        while (answer is null && DateTime.UtcNow < deadline)
        {
            try
            {
                answer = await client.GetAsync($"http://127.0.0.1:{port}/v2/");
            }
            catch (HttpRequestException)
            {
                await Task.Delay(200);
            }
        }

        Assert.True(answer is not null, $"the image did not answer on 127.0.0.1:{port} within 30 s:\n{running.Log}");
        using (answer)
        {
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            Assert.Equal("registry/2.0", answer.Headers.GetValues("Docker-Distribution-API-Version").Single());
        }
    }

    private string PodmanRoot => _temp.Combine("podman-root");

    /// <summary>
    /// podman run where the machine allows it; where the OCI runtime cannot start containers (no usable cgroups, as in
    /// some sandboxes) the container's own rootfs is run with chroot as its user, which still proves the image carries
    /// everything the binary needs.
    /// </summary>
    private async Task<RunningImage> RunAsync(int port)
    {
        var name = "berth-" + port;
        var run = await PodmanRawAsync("run", "--detach", "--name", name, "--network", "host", "--env", $"REGISTRY_HTTP_ADDR=127.0.0.1:{port}", _tag);
        if (run.ExitCode == 0)
        {
            output.WriteLine("running the image with podman run --network host");
            return new RunningImage(null, () => PodmanAsync(check: false, "logs", name));
        }

        output.WriteLine($"podman run is not possible on this machine ({run.Error.Trim()}); running the container's rootfs with chroot as 65532:65532 instead");
        await PodmanAsync(check: false, "rm", "--force", name);
        await PodmanAsync(check: true, "create", "--name", name, _tag);
        var rootfs = (await PodmanAsync(check: true, "mount", name)).Trim();
        var start = new ProcessStartInfo("unshare")
        {
            ArgumentList =
            {
                "--mount", "--fork", "--kill-child", "sh", "-c",
                $"mkdir -p '{rootfs}/proc' '{rootfs}/dev' && mount -t proc proc '{rootfs}/proc' && mount --rbind /dev '{rootfs}/dev' && " +
                $"exec chroot --userspec=65532:65532 '{rootfs}' /usr/bin/berth serve /etc/docker/registry/config.yml",
            },
            Environment = { ["REGISTRY_HTTP_ADDR"] = $"127.0.0.1:{port}" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(start)!;
        var log = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new RunningImage(process, () => { lock (log) { return Task.FromResult(log.ToString()); } });
    }

    private async Task<string> SkopeoConfigAsync(string reference) =>
        (await ExternalProcess.RunAsync("skopeo", ["inspect", "--config", "--tls-verify=false", reference], Timeout)).EnsureSuccess("skopeo inspect --config").Output;

    private Task<ExternalProcess.Result> PodmanRawAsync(params string[] arguments) =>
        ExternalProcess.RunAsync("podman", ["--root", PodmanRoot, "--runroot", _runRoot.Path, "--storage-driver", "vfs", "--cgroup-manager", "cgroupfs", "--events-backend", "none", .. arguments], Timeout);

    private async Task<string> PodmanAsync(bool check, params string[] arguments)
    {
        var result = await PodmanRawAsync(arguments);
        return check ? result.EnsureSuccess("podman " + string.Join(' ', arguments)).Output : result.Output;
    }

    private sealed class RunningImage(Process? process, Func<Task<string>> log) : IAsyncDisposable
    {
        public string Log => log().GetAwaiter().GetResult();

        public async ValueTask DisposeAsync()
        {
            if (process is { HasExited: false })
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            process?.Dispose();
        }
    }
}
