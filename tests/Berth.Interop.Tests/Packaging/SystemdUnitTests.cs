using System.Globalization;
using System.Text.RegularExpressions;
using Berth.Interop.Tests.Support;
using Xunit.Abstractions;

namespace Berth.Interop.Tests.Packaging;

/// <summary>packaging/systemd/berth.service passes systemd's own checks and stays hardened.</summary>
public sealed partial class SystemdUnitTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task The_unit_verifies_and_its_exposure_is_low()
    {
        if (!OperatingSystem.IsLinux() || (!File.Exists("/usr/bin/systemd-analyze") && !File.Exists("/bin/systemd-analyze")))
        {
            output.WriteLine("not checked: systemd-analyze is not installed on this machine");
            return;
        }

        var unit = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "packaging", "systemd", "berth.service"));
        Assert.Contains("DynamicUser=yes", unit, StringComparison.Ordinal);
        Assert.Contains("StateDirectory=registry", unit, StringComparison.Ordinal);
        Assert.Contains("ExecStart=/usr/bin/berth serve /etc/docker/registry/config.yml", unit, StringComparison.Ordinal);

        // verify checks that ExecStart's program exists: point it at a stand-in in the test's directory.
        var program = _temp.Combine("berth");
        File.WriteAllText(program, "#!/bin/sh\n");
        File.SetUnixFileMode(program, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        var path = _temp.Combine("berth.service");
        File.WriteAllText(path, unit.Replace("/usr/bin/berth", program, StringComparison.Ordinal));

        var verify = await ExternalProcess.RunAsync("systemd-analyze", ["verify", path], Timeout);
        Assert.True(verify.ExitCode == 0 && verify.Error.Trim().Length == 0, $"systemd-analyze verify:\n{verify.Output}\n{verify.Error}");

        var security = await ExternalProcess.RunAsync("systemd-analyze", ["security", "--offline=true", "--no-pager", path], Timeout);
        var level = ExposureLevel().Match(security.Output + security.Error);
        Assert.True(level.Success, $"no exposure level in:\n{security.Output}\n{security.Error}");
        var exposure = double.Parse(level.Groups[1].Value, CultureInfo.InvariantCulture);
        output.WriteLine($"systemd-analyze security: exposure {exposure} (0 is fully locked down, 10 is an unhardened service)");
        Assert.True(exposure <= 2.0, $"exposure {exposure} is above 2.0:\n{security.Output}");
    }

    [GeneratedRegex(@"Overall exposure level for \S+: (\d+\.\d+)")]
    private static partial Regex ExposureLevel();
}
