using System.Net.Http.Headers;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Berth.Server.Notifications;

/// <summary>
/// Delivers each endpoint's outbox, oldest first, one event per POST in registry:2's envelope, until the endpoint
/// answers 2xx or 3xx (registry:2 counts both as accepted). A failure is retried at once up to the endpoint's
/// <c>threshold</c> of consecutive failures, then every <c>backoff</c>, indefinitely, as registry:2's retrying sink does;
/// later events wait, so order holds. An event is removed only after it was accepted: delivery is at least once, and
/// receivers de-duplicate by the event id.
/// </summary>
internal sealed partial class NotificationDeliveryService(NotificationEndpoints endpoints, TimeProvider time, ILogger<NotificationDeliveryService> logger)
    : BackgroundService
{
    // registry:2 2.8 (notifications/event.go).
    public const string EnvelopeMediaType = "application/vnd.docker.distribution.events.v1+json";

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(endpoints.All.Select(endpoint => Task.Run(() => DeliverAsync(endpoint, stoppingToken), stoppingToken)));

    private async Task DeliverAsync(NotificationEndpoint endpoint, CancellationToken stoppingToken)
    {
        var options = endpoint.Options;
        using var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = options.Timeout };
        var failures = 0;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var (sequence, body) = await endpoint.Outbox.PeekAsync(stoppingToken);
                var problem = await PostAsync(client, options, body, stoppingToken);
                if (problem is null)
                {
                    endpoint.Outbox.Remove(sequence);
                    if (failures > 0)
                    {
                        LogDelivering(logger, options.Name, failures, endpoint.Outbox.Count);
                    }

                    failures = 0;
                    continue;
                }

                failures++;
                if (failures == options.Threshold)
                {
                    LogFailing(logger, options.Name, options.Url, failures, problem, options.Backoff, endpoint.Outbox.Count);
                }

                if (failures >= options.Threshold)
                {
                    await Task.Delay(options.Backoff, time, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Whatever was not accepted stays in the outbox for the next start.
        }
        catch (Exception e)
        {
            // An unreadable outbox (permissions, a failing disk) stops this endpoint only, never the registry.
            LogStopped(logger, e, options.Name, endpoint.Outbox.Directory);
        }
    }

    private static async Task<string?> PostAsync(HttpClient client, NotificationEndpointOptions options, byte[] body, CancellationToken stoppingToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, options.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(EnvelopeMediaType);
        foreach (var (name, values) in options.Headers)
        {
            if (!request.Headers.TryAddWithoutValidation(name, values))
            {
                request.Content.Headers.TryAddWithoutValidation(name, values);
            }
        }

        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stoppingToken);
            var status = (int)response.StatusCode;
            return status is >= 200 and < 400 ? null : $"status {status}";
        }
        catch (HttpRequestException e)
        {
            return e.Message;
        }
        catch (TaskCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            return $"no answer within {options.Timeout.TotalSeconds:0.###} s";
        }
    }

    [LoggerMessage(EventId = 720, Level = LogLevel.Warning,
        Message = "notifications: endpoint {Endpoint} ({Url}) failed {Failures} times in a row ({Problem}); retrying every {Backoff} with {Pending} events pending")]
    private static partial void LogFailing(ILogger logger, string endpoint, Uri url, int failures, string problem, TimeSpan backoff, int pending);

    [LoggerMessage(EventId = 722, Level = LogLevel.Error, Message = "notifications: delivery to endpoint {Endpoint} stopped: its outbox {Directory} cannot be read; events stay there for the next start")]
    private static partial void LogStopped(ILogger logger, Exception exception, string endpoint, string directory);

    [LoggerMessage(EventId = 721, Level = LogLevel.Information, Message = "notifications: endpoint {Endpoint} accepts events again after {Failures} failures; {Pending} pending")]
    private static partial void LogDelivering(ILogger logger, string endpoint, int failures, int pending);
}
