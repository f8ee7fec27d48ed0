namespace Berth.Core.Names;

/// <summary>Upload session identifiers are UUIDs we minted; anything else never reaches storage.</summary>
public static class UploadId
{
    public static string New() => Guid.NewGuid().ToString("D");

    public static bool IsValid(string? text) =>
        text is { Length: 36 } && Guid.TryParseExact(text, "D", out _) && text.Equals(text.ToLowerInvariant(), StringComparison.Ordinal);
}
