using Berth.Interop.Tests.Support;

namespace Berth.Interop.Tests.Reference;

/// <summary>
/// The real registry:2 (Debian's docker-registry 2.8.2) and Berth, each on its own filesystem store, started once for
/// every differential test: a request is sent to both and Berth's answer is compared with the reference's.
/// </summary>
public sealed class ReferencePair : IAsyncLifetime
{
    private const string HeartbeatParent = "store/docker/registry/v2/_berth/";
    private const string HeartbeatFolder = "store/docker/registry/v2/_berth/instances/";

    private readonly TempDirectory _registry2Temp = new("berth-ref-registry2");
    private readonly TempDirectory _berthTemp = new("berth-ref-berth");
    private RegistryProcess _registry2 = null!;
    private RegistryProcess _berth = null!;

    public string BerthRoot => _berthTemp.Path;

    internal RegistryProcess Berth => _berth;

    internal RegistryProcess Registry2 => _registry2;

    public async Task InitializeAsync()
    {
        var port = FreePort.Next();
        _registry2 = await RegistryProcess.StartRegistry2Async(RegistryProcess.WriteConfig(_registry2Temp.Path, _registry2Temp.Combine("store"), port), port);
        _berth = await RegistryProcess.StartBerthOnDiskAsync(_berthTemp);
    }

    public async Task DisposeAsync()
    {
        await _registry2.DisposeAsync();
        await _berth.DisposeAsync();
        _registry2Temp.Dispose();
        _berthTemp.Dispose();
    }

    internal async Task<(RawResponse Registry2, RawResponse Berth)> SendToBothAsync(
        string method, string target, byte[]? body = null, string? contentType = null, long? contentLength = null, params string[] headers) =>
        (await SendToRegistry2Async(method, target, body, contentType, contentLength, headers),
         await SendToBerthAsync(method, target, body, contentType, contentLength, headers));

    internal async Task<RawResponse> SendToBerthAsync(string method, string target, byte[]? body = null, string? contentType = null, long? contentLength = null, params string[] headers)
    {
        var answer = await RawHttp.SendAsync(_berth.Port, method, target, body, contentType, contentLength, headers);
        if (answer.Status < 500)
        {
            return answer;
        }

        var log = _berth.Log;
        return answer with { ServerLog = log.Length > 3000 ? log[^3000..] : log };
    }

    internal Task<RawResponse> SendToRegistry2Async(string method, string target, byte[]? body = null, string? contentType = null, long? contentLength = null, params string[] headers) =>
        RawHttp.SendAsync(_registry2.Port, method, target, body, contentType, contentLength, headers);

    /// <summary>
    /// Every directory and file under Berth's temporary directory (its store and its config), with file sizes, but for
    /// the serving instance's heartbeat: Berth writes it on its own clock once the store has content, so it can appear
    /// between two snapshots whatever the request in between was.
    /// </summary>
    public IReadOnlySet<string> SnapshotBerthDisk() =>
        new DirectoryInfo(_berthTemp.Path).EnumerateFileSystemInfos("*", SearchOption.AllDirectories)
            .Select(e => Path.GetRelativePath(_berthTemp.Path, e.FullName) + (e is FileInfo f ? $" ({f.Length} bytes)" : "/"))
            .Where(path => !IsHeartbeat(path))
            .ToHashSet(StringComparer.Ordinal);

    private static bool IsHeartbeat(string path) =>
        path is HeartbeatParent or HeartbeatFolder || path.StartsWith(HeartbeatFolder, StringComparison.Ordinal);
}

[CollectionDefinition(Name)]
public sealed class ReferenceCollection : ICollectionFixture<ReferencePair>
{
    public const string Name = "registry:2 reference";
}
