using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Berth.Interop.Tests.Notifications;

/// <summary>
/// A real notification endpoint: Kestrel on 127.0.0.1, recording every POST (content type, headers, the envelope) in
/// arrival order. While <see cref="Failing"/> is set it answers 500 and records nothing, as a receiver that is down.
/// </summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<Delivery> _deliveries = [];

    private WebhookReceiver(WebApplication app) => _app = app;

    public sealed record Delivery(string? ContentType, IHeaderDictionary Headers, JsonObject Envelope)
    {
        public JsonObject Event => Envelope["events"]!.AsArray().Single()!.AsObject();
    }

    public volatile bool Failing;

    public int Refused;

    public Uri Url { get; private set; } = null!;

    public IReadOnlyList<Delivery> Deliveries
    {
        get
        {
            lock (_deliveries)
            {
                return _deliveries.ToList();
            }
        }
    }

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hook", async (HttpContext context) =>
        {
            if (receiver.Failing)
            {
                Interlocked.Increment(ref receiver.Refused);
                return Results.StatusCode(500);
            }

            var envelope = (await JsonNode.ParseAsync(context.Request.Body))!.AsObject();
            lock (receiver._deliveries)
            {
                receiver._deliveries.Add(new Delivery(context.Request.ContentType, new HeaderDictionary(context.Request.Headers.ToDictionary()), envelope));
            }

            return Results.Ok();
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        receiver.Url = new Uri(address.TrimEnd('/') + "/hook");
        return receiver;
    }

    /// <summary>Waits (bounded) until <paramref name="count"/> deliveries arrived; fails with what did arrive.</summary>
    public async Task<IReadOnlyList<Delivery>> WaitForAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var deliveries = Deliveries;
            if (deliveries.Count >= count)
            {
                return deliveries;
            }

            await Task.Delay(50);
        }

        var got = string.Join("\n", Deliveries.Select(d => d.Event.ToJsonString()));
        throw new TimeoutException($"expected {count} notifications within {timeout.TotalSeconds} s, got {Deliveries.Count}:\n{got}");
    }

    public static string Describe(JsonObject notification) =>
        $"{notification["action"]} {notification["target"]!["repository"]} {notification["target"]!["mediaType"]} {notification["target"]!["digest"]} {notification["target"]!["tag"]}".Trim();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
