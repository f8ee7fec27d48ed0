using System.Text.Json;
using Berth.Server.Health;
using Berth.Server.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Server.Endpoints;

/// <summary>
/// registry:2's <c>/debug/health</c>: <c>{}</c> with 200 when every check passes, 503 with
/// <c>{"&lt;check&gt;": "&lt;error&gt;"}</c> naming each failing one. The checks are the periodic ones of the
/// <c>health</c> section; without a periodic storage check, the storage driver is also asked now, in one cheap call
/// that passes on an empty store (distribution#2532, #2201), so a load balancer sees an outage without any
/// configuration. Not behind auth, so load balancers can use it; served on the registry's listener and on
/// <c>http.debug.addr</c>.
/// </summary>
internal static class HealthEndpoints
{
    public const string Path = "/debug/health";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public static async Task WriteAsync(HttpContext context)
    {
        var health = context.RequestServices.GetRequiredService<HealthRegistry>();
        var failures = health.Failures();
        if (!health.ChecksStorage)
        {
            var driver = context.RequestServices.GetRequiredService<RegistryServices>().Driver;
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
            deadline.CancelAfter(Timeout);
            try
            {
                await driver.CheckHealthAsync(deadline.Token);
            }
            catch (Exception e) when (!context.RequestAborted.IsCancellationRequested)
            {
                failures[HealthChecks.StorageCheckPrefix + driver.Name] = e is OperationCanceledException ? $"no answer within {Timeout.TotalSeconds:0} s" : e.Message;
            }
        }

        context.Response.StatusCode = failures.Count == 0 ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(JsonSerializer.Serialize(failures, Json.RegistryJsonContext.Default.DictionaryStringString), context.RequestAborted);
    }
}
