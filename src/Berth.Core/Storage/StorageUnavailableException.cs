namespace Berth.Core.Storage;

/// <summary>The backend did not answer after the driver's own retries; the request fails with 503 UNAVAILABLE.</summary>
public sealed class StorageUnavailableException : Exception
{
    public StorageUnavailableException()
    {
    }

    public StorageUnavailableException(string message)
        : base(message)
    {
    }

    public StorageUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
