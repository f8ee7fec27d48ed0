using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Berth.Server.Tests.Proxy;

/// <summary>
/// An upstream that misbehaves on purpose (wrong bytes, foreign token realms, redirects), on real Kestrel at
/// 127.0.0.1:0. It records every request's path and Authorization header.
/// </summary>
internal sealed class ScriptedUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;

    private readonly string _host;

    private ScriptedUpstream(WebApplication app, string host)
    {
        _app = app;
        _host = host;
    }

    public ConcurrentQueue<(string Method, string Path, string? Authorization)> Requests { get; } = new();

    /// <summary>The address under the host name it was started with (127.0.0.1, or localhost: another host, same machine).</summary>
    public Uri BaseUri => new UriBuilder(_app.Urls.First()) { Host = _host }.Uri;

    public string Authority => BaseUri.Authority;

    public static async Task<ScriptedUpstream> StartAsync(Func<HttpContext, Task> handle, string host = "127.0.0.1")
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var upstream = new ScriptedUpstream(app, host);
        app.Run(context =>
        {
            var authorization = context.Request.Headers.Authorization.ToString();
            upstream.Requests.Enqueue((context.Request.Method, context.Request.Path + context.Request.QueryString, authorization.Length == 0 ? null : authorization));
            return handle(context);
        });
        await app.StartAsync();
        return upstream;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
