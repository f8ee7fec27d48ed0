using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Berth.Core.Configuration;
using Berth.Core.Storage;
using Microsoft.Extensions.Logging;

namespace Berth.Storage.Azure;

/// <summary>
/// Builds the Azure driver from <c>storage.azure</c>: binds and validates the options, creates the container when
/// missing, proves the credentials with one cheap call and detects the container's blob-name form. Every start-up
/// problem becomes a <see cref="ConfigurationException"/> with a one-line message.
/// </summary>
public static class AzureStorageDriverFactory
{
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(60);

    public static Task<IStorageDriver> CreateAsync(
        ConfigSection parameters, bool redirectDisabled, ILoggerFactory loggerFactory, CancellationToken cancellationToken = default) =>
        CreateAsync(AzureDriverOptions.Bind(parameters, Environment.GetEnvironmentVariable), redirectDisabled, loggerFactory, cancellationToken);

    public static async Task<IStorageDriver> CreateAsync(
        AzureDriverOptions options, bool redirectDisabled, ILoggerFactory loggerFactory, CancellationToken cancellationToken = default) =>
        await CreateDriverAsync(options, redirectDisabled, loggerFactory, cancellationToken);

    internal static async Task<AzureBlobDriver> CreateDriverAsync(
        AzureDriverOptions options, bool redirectDisabled, ILoggerFactory loggerFactory, CancellationToken cancellationToken, BlockBufferPool? buffers = null)
    {
        var logger = loggerFactory.CreateLogger("Berth.Storage.Azure");
        var (service, clients) = CreateClients(options);
        var container = clients.Container;

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StartupTimeout);
        BlobNameLayout layout;
        try
        {
            if (!(await container.ExistsAsync(timeout.Token)).Value)
            {
                await container.CreateIfNotExistsAsync(cancellationToken: timeout.Token);
                AzureDriverLog.ContainerCreated(logger, options.Container);
            }

            layout = await DetectLayoutAsync(container, options.RootDirectory, logger, timeout.Token);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is not ConfigurationException)
        {
            throw new ConfigurationException(StartupProblem(options, e));
        }

        var canUseDelegation = options.Credential is AzureCredentialKind.ClientSecret or AzureCredentialKind.DefaultCredentials;
        var signer = new BlobSasSigner(clients, service, canUseDelegation, logger);
        return new AzureBlobDriver(clients, layout, signer, options, buffers ?? new BlockBufferPool(options.BlockSize), redirectDisabled, logger);
    }

    internal static (BlobServiceClient Service, BlobClients Clients) CreateClients(AzureDriverOptions options)
    {
        var clientOptions = new BlobClientOptions();

        // Transient faults are retried for about 15 s in all before the request fails with 503.
        clientOptions.Retry.Mode = RetryMode.Exponential;
        clientOptions.Retry.MaxRetries = 5;
        clientOptions.Retry.Delay = TimeSpan.FromMilliseconds(500);
        clientOptions.Retry.MaxDelay = TimeSpan.FromSeconds(8);
        clientOptions.Retry.NetworkTimeout = TimeSpan.FromSeconds(100);

        // The SDK's request/response logging, activity tracing and telemetry header cost CPU and allocations on every
        // call; Berth times storage calls itself (MeteredStorageDriver) and logs faults at FaultBoundary.
        clientOptions.Diagnostics.IsLoggingEnabled = false;
        clientOptions.Diagnostics.IsDistributedTracingEnabled = false;
        clientOptions.Diagnostics.IsTelemetryEnabled = false;
        foreach (var policy in options.ExtraPolicies)
        {
            clientOptions.AddPolicy(policy, HttpPipelinePosition.PerRetry);
        }

        try
        {
            StorageSharedKeyCredential? sharedKey = null;
            TokenCredential? token = null;
            BlobServiceClient service;
            switch (options.Credential)
            {
                case AzureCredentialKind.SharedKey:
                    sharedKey = new StorageSharedKeyCredential(options.AccountName, options.AccountKey);
                    service = new BlobServiceClient(options.ServiceUri, sharedKey, clientOptions);
                    break;
                case AzureCredentialKind.ClientSecret:
                    token = new ClientSecretCredential(options.TenantId, options.ClientId, options.ClientSecret);
                    service = new BlobServiceClient(options.ServiceUri, token, clientOptions);
                    break;
                case AzureCredentialKind.DefaultCredentials:
                    token = new DefaultAzureCredential();
                    service = new BlobServiceClient(options.ServiceUri, token, clientOptions);
                    break;
                default:
                    service = new BlobServiceClient(options.ConnectionString, clientOptions);
                    sharedKey = SharedKeyOf(options.ConnectionString!);
                    break;
            }

            return (service, new BlobClients(service.GetBlobContainerClient(options.Container), clientOptions, sharedKey, token));
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
        {
            throw new ConfigurationException($"{options.CredentialSource}: {FirstLine(e.Message)}");
        }
    }

    /// <summary>The account key in a connection string, if it has one (it may carry a SAS instead).</summary>
    private static StorageSharedKeyCredential? SharedKeyOf(string connectionString)
    {
        var parts = connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(part => part.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0].Trim(), pair => pair[1].Trim(), StringComparer.OrdinalIgnoreCase);
        return parts.TryGetValue("AccountName", out var name) && parts.TryGetValue("AccountKey", out var key)
            ? new StorageSharedKeyCredential(name, key)
            : null;
    }

    /// <summary>
    /// Finds which blob-name form the container already uses, so an existing registry's data is served in place and
    /// new data joins it; an empty container gets 3.x's form.
    /// </summary>
    internal static async Task<BlobNameLayout> DetectLayoutAsync(
        BlobContainerClient container, string rootDirectory, ILogger logger, CancellationToken cancellationToken)
    {
        var modern = BlobNameLayout.Create(rootDirectory, leadingSlash: false);
        var legacy = BlobNameLayout.Create(rootDirectory, leadingSlash: true);
        var hasModern = await HasBlobsAsync(container, modern.DirectoryPrefix(BlobNameLayout.ProbePath), cancellationToken);
        var hasLegacy = await HasBlobsAsync(container, legacy.DirectoryPrefix(BlobNameLayout.ProbePath), cancellationToken);

        var layout = hasLegacy && !hasModern ? legacy : modern;
        if (hasLegacy && hasModern)
        {
            AzureDriverLog.BothLayoutsPresent(logger, container.Name, layout);
        }
        else
        {
            AzureDriverLog.LayoutDetected(logger, container.Name, layout);
        }

        return layout;
    }

    private static async Task<bool> HasBlobsAsync(BlobContainerClient container, string prefix, CancellationToken cancellationToken)
    {
        await foreach (var page in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix: prefix, cancellationToken: cancellationToken).AsPages(pageSizeHint: 1))
        {
            if (page.Values.Count > 0)
            {
                return true;
            }
        }

        return false;
    }

    private static string StartupProblem(AzureDriverOptions options, Exception e)
    {
        var where = $"storage.azure: {options.Describe()}";
        return e switch
        {
            RequestFailedException { Status: 403, ErrorCode: "AuthenticationFailed" or "AuthorizationFailure" } =>
                $"{where} rejected the credentials from {options.CredentialSource} ({FaultBoundary.Describe(e)})",
            RequestFailedException { Status: 403 } =>
                $"{where}: the credentials from {options.CredentialSource} are not allowed to use the container ({FaultBoundary.Describe(e)})",
            RequestFailedException { Status: > 0 } => $"{where}: {FaultBoundary.Describe(e)}",
            AuthenticationFailedException => $"{where}: could not get a token with {options.CredentialSource}: {FaultBoundary.Describe(e)}",
            OperationCanceledException => $"{where} did not answer within {StartupTimeout.TotalSeconds:0} s",
            _ => $"{where} is unreachable: {FaultBoundary.Describe(e)}",
        };
    }

    private static string FirstLine(string message)
    {
        var end = message.IndexOfAny(['\r', '\n']);
        return end < 0 ? message : message[..end];
    }
}
