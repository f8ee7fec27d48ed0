using System.Net.Sockets;
using Berth.Core.Configuration;
using Berth.Core.Storage;

namespace Berth.Server.Health;

/// <summary>
/// Builds the checks of registry:2's <c>health</c> section, named and worded as registry:2 names and words them:
/// <c>storagedriver_&lt;driver&gt;</c>, the file path, the URI, the address.
/// </summary>
internal static class HealthChecks
{
    public const string StorageCheckPrefix = "storagedriver_";

    public static HealthRegistry Create(HealthOptions options, IStorageDriver driver)
    {
        // registry:2's checker follows no redirects either: the configured URI must answer for itself.
        var http = options.Http.Count == 0 ? null : new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
        var checks = new List<HealthCheck>();
        if (options.StorageDriver is { } storage)
        {
            // The driver's own cheap check: one call that passes on an empty store (distribution#2532).
            checks.Add(new HealthCheck(StorageCheckPrefix + driver.Name, storage.Interval, storage.Threshold,
                cancellationToken => WithTimeout(HealthOptions.DefaultTimeout, driver.CheckHealthAsync, cancellationToken)));
        }

        foreach (var file in options.Files)
        {
            // registry:2: the file's presence is the failure (an operator's "drain this instance" switch).
            checks.Add(new HealthCheck(file.File, file.Interval, 0, _ =>
                File.Exists(file.File) || Directory.Exists(file.File) ? throw new IOException("file exists") : Task.CompletedTask));
        }

        foreach (var check in options.Http)
        {
            checks.Add(new HealthCheck(check.Uri.OriginalString, check.Interval, check.Threshold, cancellationToken => ProbeHttpAsync(http!, check, cancellationToken)));
        }

        foreach (var check in options.Tcp)
        {
            checks.Add(new HealthCheck(check.Addr, check.Interval, check.Threshold, cancellationToken => ProbeTcpAsync(check, cancellationToken)));
        }

        return new HealthRegistry(checks);
    }

    private static async Task ProbeHttpAsync(HttpClient http, HttpHealthCheckOptions check, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, check.Uri);
        foreach (var (name, values) in check.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, values);
        }

        HttpResponseMessage response;
        try
        {
            response = await WithTimeout(check.Timeout, token => http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token), cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new IOException($"{check.Uri.OriginalString}: error while checking: {e.Message}", e);
        }

        using (response)
        {
            if ((int)response.StatusCode != check.StatusCode)
            {
                throw new IOException($"{check.Uri.OriginalString}: downstream service returned unexpected status: {(int)response.StatusCode}");
            }
        }
    }

    private static async Task ProbeTcpAsync(TcpHealthCheckOptions check, CancellationToken cancellationToken)
    {
        var colon = check.Addr.LastIndexOf(':');
        try
        {
            if (colon <= 0 || !int.TryParse(check.Addr.AsSpan(colon + 1), out var port))
            {
                throw new FormatException("not a host:port address");
            }

            using var client = new TcpClient();
            await WithTimeout(check.Timeout, token => client.ConnectAsync(check.Addr[..colon].Trim('[', ']'), port, token).AsTask(), cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new IOException($"{check.Addr}: connection failed: {e.Message}", e);
        }
    }

    private static async Task WithTimeout(TimeSpan timeout, Func<CancellationToken, Task> call, CancellationToken cancellationToken) =>
        await WithTimeout(timeout, async token =>
        {
            await call(token);
            return true;
        }, cancellationToken);

    private static async Task<T> WithTimeout<T>(TimeSpan timeout, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            return await call(deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"no answer within {timeout.TotalSeconds:0.###} s");
        }
    }
}
