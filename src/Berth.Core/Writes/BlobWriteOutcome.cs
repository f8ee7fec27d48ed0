namespace Berth.Core.Writes;

/// <summary>What a blob write did to the store: content-addressed data is written once, then only linked.</summary>
public enum BlobWriteOutcome
{
    Created,
    AlreadyExisted,
}
