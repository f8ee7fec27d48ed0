namespace Berth.Interop.Tests.Support;

/// <summary>The real skopeo client, against registries on 127.0.0.1 over plain HTTP.</summary>
internal static class Skopeo
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    public static async Task CopyAsync(string source, string destination, params string[] options)
    {
        string[] arguments = ["--insecure-policy", "copy", "--src-tls-verify=false", "--dest-tls-verify=false", .. options, source, destination];
        (await ExternalProcess.RunAsync("skopeo", arguments, Timeout)).EnsureSuccess($"skopeo copy {source} {destination}");
    }

    public static async Task<string> InspectRawAsync(string reference)
    {
        var result = await ExternalProcess.RunAsync("skopeo", ["inspect", "--raw", "--tls-verify=false", reference], Timeout);
        return result.EnsureSuccess($"skopeo inspect --raw {reference}").Output;
    }

    public static async Task<IReadOnlyList<string>> ListTagsAsync(string reference)
    {
        var result = await ExternalProcess.RunAsync("skopeo", ["list-tags", "--tls-verify=false", reference], Timeout);
        using var json = System.Text.Json.JsonDocument.Parse(result.EnsureSuccess($"skopeo list-tags {reference}").Output);
        return json.RootElement.GetProperty("Tags").EnumerateArray().Select(t => t.GetString()!).ToList();
    }
}
