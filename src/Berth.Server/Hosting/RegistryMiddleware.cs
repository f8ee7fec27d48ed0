using System.Diagnostics;
using Berth.Core.Diagnostics;
using Berth.Core.Errors;
using Berth.Core.Storage;
using Berth.Server.Diagnostics;
using Berth.Server.Endpoints;
using Berth.Server.Errors;
using Berth.Server.Health;
using Berth.Server.Logging;
using Berth.Server.Routing;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Berth.Server.Hosting;

/// <summary>
/// The one place every registry request passes: its id, registry headers on every response, the health gate, the
/// access log and metrics, and faults turned into the spec's JSON errors (a storage outage is 503 UNAVAILABLE; a
/// client that went away is not an error).
/// </summary>
internal sealed partial class RegistryMiddleware(
    RequestDelegate next, RegistryServices registry, HealthRegistry health, RegistryMetrics metrics, ILogger<RegistryMiddleware> logger)
{
    private readonly KeyValuePair<string, string[]>[] _configuredHeaders = registry.Configuration.Http.Headers.ToArray();
    private readonly bool _accessLog = !registry.Configuration.Log.AccessLogDisabled;

    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        var requestId = RequestId.From(context.Request);
        context.TraceIdentifier = requestId;
        context.Response.Headers[RequestId.Header] = requestId;
        AddStandardHeaders(context.Response.Headers);
        foreach (var (name, values) in _configuredHeaders)
        {
            context.Response.Headers[name] = values;
        }

        var received = new ByteCountingStream(context.Request.Body);
        context.Request.Body = received;
        var sent = new ByteCountingStream(context.Response.Body);
        var responseBody = new StreamResponseBodyFeature(sent, context.Features.GetRequiredFeature<IHttpResponseBodyFeature>());
        context.Features.Set<IHttpResponseBodyFeature>(responseBody);

        using var scope = logger.BeginScope(RequestLogScope.For(context, requestId));
        try
        {
            await InvokeRegistryAsync(context);
        }
        finally
        {
            if (!context.RequestAborted.IsCancellationRequested)
            {
                try
                {
                    // Flushes what was written through the response's PipeWriter into the counted stream.
                    await responseBody.CompleteAsync();
                }
                catch (Exception e) when (e is IOException or ConnectionResetException or OperationCanceledException)
                {
                }
            }

            var elapsed = Stopwatch.GetElapsedTime(started);
            var status = context.RequestAborted.IsCancellationRequested && !context.Response.HasStarted ? 499 : context.Response.StatusCode;
            metrics.RequestCompleted(RouteLabel(context), MethodLabel(context.Request.Method), status, elapsed, received.Count, sent.Count);
            if (_accessLog)
            {
                var entry = new AccessLogEntry(status, sent.Count, elapsed, context.Connection.RemoteIpAddress?.ToString(),
                    context.Request.Headers.UserAgent.ToString(), context.User.Identity?.IsAuthenticated == true ? context.User.Identity.Name : null);
                logger.Log(LogLevel.Information, AccessLogEntry.EventId, entry, null, AccessLogEntry.Format);
            }
        }
    }

    private async Task InvokeRegistryAsync(HttpContext context)
    {
        try
        {
            if (RequestTarget.HasDotSegments(context.Features.Get<IHttpRequestFeature>()?.RawTarget))
            {
                await RegistryErrorResult.WriteAsync(context, new RegistryError(ErrorCode.NameInvalid, "the request path has '.' or '..' segments; send the path without them"), StatusCodes.Status400BadRequest);
                return;
            }

            if (health.IsFailing && context.Request.Path.StartsWithSegments("/v2", StringComparison.Ordinal))
            {
                // registry:2's health.Handler: while a check fails, the API refuses work it may not be able to finish.
                await RegistryErrorResult.WriteAsync(context, new RegistryError(ErrorCode.Unavailable, $"health check failed: please see {HealthEndpoints.Path}"), StatusCodes.Status503ServiceUnavailable);
                return;
            }

            await next(context);
        }
        catch (Exception e) when (context.RequestAborted.IsCancellationRequested || e is ConnectionResetException)
        {
            // The client hung up mid-request; nothing to answer.
        }
        catch (StorageUnavailableException e)
        {
            LogStorageUnavailable(logger, context.Request.Method, context.Request.Path, e.Message);
            await WriteErrorAsync(context, new RegistryError(ErrorCode.Unavailable, $"storage is unavailable: {e.Message}"), StatusCodes.Status503ServiceUnavailable);
        }
        catch (BadHttpRequestException e)
        {
            var error = e.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? new RegistryError(ErrorCode.SizeInvalid, "request body too large")
                : new RegistryError(ErrorCode.BlobUploadInvalid, e.Message);
            await WriteErrorAsync(context, error, e.StatusCode);
        }
        catch (Exception e)
        {
            LogUnhandled(logger, e, context.Request.Method, context.Request.Path);
            await WriteErrorAsync(context, new RegistryError(ErrorCode.Unknown, "internal error; see the registry log"), StatusCodes.Status500InternalServerError);
        }
    }

    /// <summary>The route kind as a metric label: a fixed, small set, never a repository name.</summary>
    private static string RouteLabel(HttpContext context) => context.Features.Get<IRegistryRouteFeature>()?.Route?.Kind switch
    {
        RouteKind.Base => "base",
        RouteKind.Catalog => "catalog",
        RouteKind.Tags => "tags",
        RouteKind.Manifest => "manifest",
        RouteKind.Blob => "blob",
        RouteKind.UploadStart or RouteKind.Upload => "upload",
        RouteKind.Referrers => "referrers",
        _ => context.Request.Path.StartsWithSegments(HealthEndpoints.Path) ? "health" : "other",
    };

    private static string MethodLabel(string method) => method switch
    {
        "GET" or "HEAD" or "POST" or "PUT" or "PATCH" or "DELETE" or "OPTIONS" => method,
        _ => "other",
    };

    private static async Task WriteErrorAsync(HttpContext context, RegistryError error, int status)
    {
        if (context.Response.HasStarted)
        {
            // Bytes already went out; aborting is the only honest signal left.
            context.Abort();
            return;
        }

        var requestId = context.Response.Headers[RequestId.Header];
        context.Response.Clear();
        context.Response.Headers[RequestId.Header] = requestId;
        AddStandardHeaders(context.Response.Headers);
        await RegistryErrorResult.WriteAsync(context, error, status);
    }

    private static void AddStandardHeaders(IHeaderDictionary headers)
    {
        headers[RegistryHeaders.ApiVersion] = RegistryHeaders.ApiVersionValue;

        // Manifests are JSON a pusher chose, served from the registry's origin: never let a browser sniff them
        // into HTML or run anything an API response carries.
        headers.XContentTypeOptions = "nosniff";
        headers.ContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'; sandbox";
    }

    [LoggerMessage(EventId = 101, Level = LogLevel.Error, Message = "storage unavailable during {Method} {Path}: {Reason}")]
    private static partial void LogStorageUnavailable(ILogger logger, string method, PathString path, string reason);

    [LoggerMessage(EventId = 102, Level = LogLevel.Error, Message = "unhandled error during {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, PathString path);
}
