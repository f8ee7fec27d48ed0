using Azure;
using Azure.Identity;
using Berth.Core.Storage;
using Microsoft.Extensions.Logging;

namespace Berth.Storage.Azure;

/// <summary>
/// Turns what is left of a fault after the SDK's own retries into <see cref="StorageUnavailableException"/>
/// (503 UNAVAILABLE) with a one-line message. Expected outcomes (a 404) are handled by the caller before this.
/// </summary>
internal sealed class FaultBoundary(string where, ILogger logger)
{
    public async Task<T> RunAsync<T>(string operation, string path, Func<Task<T>> action, CancellationToken cancellationToken)
    {
        try
        {
            return await action();
        }
        catch (Exception e) when (IsFault(e, cancellationToken))
        {
            var problem = Describe(e);
            AzureDriverLog.StorageFault(logger, operation, path, problem);
            throw new StorageUnavailableException($"Azure Blob Storage ({where}) failed to {operation} {path}: {problem}", e);
        }
    }

    public Task RunAsync(string operation, string path, Func<Task> action, CancellationToken cancellationToken) =>
        RunAsync(operation, path, async () =>
        {
            await action();
            return true;
        }, cancellationToken);

    /// <summary>One line for a person: status and error code for service answers, the root cause for transport faults.</summary>
    public static string Describe(Exception e)
    {
        if (e is RequestFailedException { Status: > 0 } failed)
        {
            return $"{failed.Status} {failed.ErrorCode ?? "error"}: {FirstLine(failed.Message)}";
        }

        // Retries exhausted: the SDK wraps each attempt's exception; the last one is the most telling.
        var inner = e is AggregateException aggregate ? aggregate.InnerExceptions[^1] : e;
        while (inner.InnerException is { } deeper && inner is RequestFailedException or HttpRequestException or AggregateException)
        {
            inner = deeper;
        }

        return FirstLine(inner.Message);
    }

    private static bool IsFault(Exception e, CancellationToken cancellationToken) => e switch
    {
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        FileNotFoundException => false,
        RequestFailedException or AggregateException or HttpRequestException or TimeoutException or IOException or AuthenticationFailedException => true,
        _ => false,
    };

    private static string FirstLine(string message)
    {
        var end = message.IndexOfAny(['\r', '\n']);
        return (end < 0 ? message : message[..end]).Trim();
    }
}
