using Berth.Core.Errors;
using Berth.Core.Storage;
using Berth.Server.Endpoints;
using Berth.Server.Errors;
using Berth.Server.Routing;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Berth.Server.Hosting;

/// <summary>
/// The one place every request passes: registry headers on every response, the access log, and faults turned into
/// the spec's JSON errors (a storage outage is 503 UNAVAILABLE; a client that went away is not an error).
/// </summary>
internal sealed partial class RegistryMiddleware(RequestDelegate next, RegistryServices registry, ILogger<RegistryMiddleware> logger)
{
    private readonly KeyValuePair<string, string[]>[] _configuredHeaders = registry.Configuration.Http.Headers.ToArray();
    private readonly bool _accessLog = !registry.Configuration.Log.AccessLogDisabled;

    public async Task InvokeAsync(HttpContext context)
    {
        AddStandardHeaders(context.Response.Headers);
        foreach (var (name, values) in _configuredHeaders)
        {
            context.Response.Headers[name] = values;
        }

        var started = _accessLog ? System.Diagnostics.Stopwatch.GetTimestamp() : 0;
        try
        {
            if (RequestTarget.HasDotSegments(context.Features.Get<IHttpRequestFeature>()?.RawTarget))
            {
                await RegistryErrorResult.WriteAsync(context, new RegistryError(ErrorCode.NameInvalid, "the request path has '.' or '..' segments; send the path without them"), StatusCodes.Status400BadRequest);
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
        finally
        {
            if (_accessLog)
            {
                LogAccess(logger, context.Request.Method, context.Request.Path, context.Response.StatusCode, context.Response.ContentLength ?? 0,
                    System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }
    }

    private static async Task WriteErrorAsync(HttpContext context, RegistryError error, int status)
    {
        if (context.Response.HasStarted)
        {
            // Bytes already went out; aborting is the only honest signal left.
            context.Abort();
            return;
        }

        context.Response.Clear();
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

    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "{Method} {Path} {Status} {Bytes}B {ElapsedMs:F1}ms")]
    private static partial void LogAccess(ILogger logger, string method, PathString path, int status, long bytes, double elapsedMs);

    [LoggerMessage(EventId = 101, Level = LogLevel.Error, Message = "storage unavailable during {Method} {Path}: {Reason}")]
    private static partial void LogStorageUnavailable(ILogger logger, string method, PathString path, string reason);

    [LoggerMessage(EventId = 102, Level = LogLevel.Error, Message = "unhandled error during {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, PathString path);
}
