using Microsoft.Extensions.Logging;

namespace Berth.Storage.Azure;

internal static partial class AzureDriverLog
{
    [LoggerMessage(EventId = 3100, Level = LogLevel.Information, Message = "Azure container '{Container}' did not exist and was created")]
    public static partial void ContainerCreated(ILogger logger, string container);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "Azure container '{Container}' uses the {Layout} blob names; new data is written the same way")]
    public static partial void LayoutDetected(ILogger logger, string container, BlobNameLayout layout);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Warning,
        Message = "Azure container '{Container}' holds registry data both with and without a leading '/' in blob names; serving the {Layout} form, as registry:2 3.x would")]
    public static partial void BothLayoutsPresent(ILogger logger, string container, BlobNameLayout layout);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Warning, Message = "Azure Blob Storage failed to {Operation} {Path} after retries: {Problem}")]
    public static partial void StorageFault(ILogger logger, string operation, string path, string problem);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Warning, Message = "Cannot sign redirect URLs ({Problem}); blobs are served through the registry")]
    public static partial void SigningUnavailable(ILogger logger, string problem);

    [LoggerMessage(EventId = 3105, Level = LogLevel.Debug, Message = "Folding the last block ({Size} bytes) of {Path} into the next one; it has {Blocks} blocks")]
    public static partial void FoldingTailBlock(ILogger logger, string path, long size, int blocks);

    [LoggerMessage(EventId = 3106, Level = LogLevel.Debug, Message = "Copy to {Path} waits for a pending copy to finish")]
    public static partial void CopyPending(ILogger logger, string path);
}
