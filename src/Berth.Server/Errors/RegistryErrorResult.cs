using System.Text.Json;
using Berth.Core.Errors;
using Berth.Server.Json;
using Microsoft.AspNetCore.Http;

namespace Berth.Server.Errors;

/// <summary>The one place a registry error becomes a status code and the spec's JSON body.</summary>
internal sealed class RegistryErrorResult(RegistryError error, int? statusOverride = null) : IResult
{
    public RegistryError Error => error;

    public int StatusCode => statusOverride ?? error.Status;

    public Task ExecuteAsync(HttpContext httpContext) => WriteAsync(httpContext, error, StatusCode);

    public static async Task WriteAsync(HttpContext context, RegistryError error, int status)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new ErrorResponse([new ErrorEntry(error.WireCode, error.Message, error.Detail)]);
        if (HttpMethods.IsHead(context.Request.Method))
        {
            // HEAD responses carry the status alone; a body here would break the framing.
            return;
        }

        await JsonSerializer.SerializeAsync(context.Response.Body, body, RegistryJsonContext.Default.ErrorResponse, context.RequestAborted);
    }
}
