namespace Berth.Auth.Tests.Support;

/// <summary>The real skopeo client, with credentials and (for TLS) a certificate directory.</summary>
internal static class Skopeo
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    /// <summary>Pushes an OCI layout tag to the registry; returns skopeo's result so refusals can be asserted.</summary>
    public static Task<ExternalProcess.Result> PushAsync(string source, string destination, string? credentials, string? certDir = null, bool allPlatforms = false)
    {
        List<string> arguments = ["--insecure-policy", "copy", "--retry-times", "0"];
        if (allPlatforms)
        {
            arguments.Add("--all");
        }

        arguments.AddRange(certDir is null ? ["--dest-tls-verify=false"] : ["--dest-cert-dir", certDir]);
        if (credentials is not null)
        {
            arguments.AddRange(["--dest-creds", credentials]);
        }
        else
        {
            arguments.Add("--dest-no-creds");
        }

        arguments.AddRange([source, destination]);
        return ExternalProcess.RunAsync("skopeo", arguments, Timeout, Isolated());
    }

    public static Task<ExternalProcess.Result> PullAsync(string source, string destination, string? credentials)
    {
        List<string> arguments = ["--insecure-policy", "copy", "--retry-times", "0", "--src-tls-verify=false"];
        arguments.AddRange(credentials is null ? ["--src-no-creds"] : ["--src-creds", credentials]);
        arguments.AddRange([source, destination]);
        return ExternalProcess.RunAsync("skopeo", arguments, Timeout, Isolated());
    }

    // Keep the machine's own auth.json and registries.conf out of the test.
    private static Dictionary<string, string> Isolated() => new()
    {
        ["REGISTRY_AUTH_FILE"] = Path.Combine(Path.GetTempPath(), $"berth-auth-none-{Guid.NewGuid():N}.json"),
    };
}
