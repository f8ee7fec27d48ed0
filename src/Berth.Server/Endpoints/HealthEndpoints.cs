using System.Text.Json;
using Berth.Server.Hosting;
using Microsoft.AspNetCore.Http;

namespace Berth.Server.Endpoints;

/// <summary>
/// registry:2's <c>/debug/health</c>: <c>{}</c> with 200 when storage answers, 503 with
/// <c>{"storagedriver_&lt;name&gt;": "&lt;reason&gt;"}</c> when it does not. The driver's check is one cheap call that
/// passes on an empty store (distribution#2532, #2201); it is not behind auth, so load balancers can use it.
/// </summary>
internal static class HealthEndpoints
{
    public const string Path = "/debug/health";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public static async Task<IResult> CheckAsync(HttpContext context, RegistryServices registry)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        deadline.CancelAfter(Timeout);
        try
        {
            await registry.Driver.CheckHealthAsync(deadline.Token);
            return Results.Text("{}", "application/json; charset=utf-8");
        }
        catch (Exception e) when (!context.RequestAborted.IsCancellationRequested)
        {
            var reason = e is OperationCanceledException ? $"no answer within {Timeout.TotalSeconds:0} s" : e.Message;
            var body = JsonSerializer.Serialize(
                new Dictionary<string, string> { [$"storagedriver_{registry.Driver.Name}"] = reason },
                Json.RegistryJsonContext.Default.DictionaryStringString);
            return Results.Text(body, "application/json; charset=utf-8", statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}
