using Azure.Core;
using Azure.Core.Pipeline;

namespace Berth.Storage.Azure.Tests;

/// <summary>Records every attempt the driver sends to Azure, as "METHOD comp" or "METHOD name" (a blob's last segment; a repository's blob link is "layer-link"), so a test can count round trips.</summary>
internal sealed class RequestCountingPolicy : HttpPipelineSynchronousPolicy
{
    public const string LayerLink = "layer-link";

    private readonly List<string> _requests = [];

    public override void OnSendingRequest(HttpMessage message)
    {
        var uri = message.Request.Uri.ToUri();
        var path = Uri.UnescapeDataString(uri.PathAndQuery);

        // The instance heartbeat (every few seconds, whatever the traffic) and its first-content poll are no operation's cost.
        if (path.Contains("/_berth/instances", StringComparison.Ordinal) || uri.AbsolutePath.EndsWith("/docker/registry/v2", StringComparison.Ordinal))
        {
            return;
        }

        var query = System.Web.HttpUtility.ParseQueryString(uri.Query);
        var what = query["comp"] ?? query["restype"] ?? uri.AbsolutePath[(uri.AbsolutePath.LastIndexOf('/') + 1)..];
        if (what == "link" && path.Contains("/_layers/", StringComparison.Ordinal))
        {
            // A repository's blob links are cached for seconds: whether a step re-reads one depends on the clock, so
            // a test must be able to tell those reads from the rest.
            what = LayerLink;
        }

        lock (_requests)
        {
            _requests.Add($"{message.Request.Method} {what}");
        }
    }

    /// <summary>The requests since the last call, and starts counting again.</summary>
    public IReadOnlyList<string> Take()
    {
        lock (_requests)
        {
            var taken = _requests.ToList();
            _requests.Clear();
            return taken;
        }
    }
}
