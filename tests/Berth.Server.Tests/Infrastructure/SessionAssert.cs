using System.Net;

namespace Berth.Server.Tests.Infrastructure;

public static class SessionAssert
{
    /// <summary>
    /// distribution-spec: upload responses carry Location (where to continue), Range (the bytes received, inclusive)
    /// and registry:2's Docker-Upload-UUID.
    /// </summary>
    public static void HasSessionHeaders(HttpResponseMessage response, HttpStatusCode status, long received)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.NotNull(response.Headers.Location);
        var uuid = response.Header("Docker-Upload-UUID");
        Assert.True(Guid.TryParse(uuid, out _), $"Docker-Upload-UUID '{uuid}' is not a UUID");

        // registry:2 reports an empty session as 0-0 as well.
        Assert.Equal($"0-{Math.Max(received - 1, 0)}", response.Header("Range"));
    }
}
