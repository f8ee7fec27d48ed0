using System.Text;
using Berth.Core.Digests;

namespace Berth.Core.Storage;

/// <summary>registry:2's link files: the digest as ASCII text with no trailing newline.</summary>
public static class LinkFile
{
    public static Task WriteAsync(IStorageDriver driver, string path, Digest digest, CancellationToken cancellationToken) =>
        driver.PutContentAsync(path, Encoding.ASCII.GetBytes(digest.Value), cancellationToken);

    public static async Task<Digest?> ReadAsync(IStorageDriver driver, string path, CancellationToken cancellationToken)
    {
        var content = await driver.GetContentAsync(path, cancellationToken);
        if (content is null)
        {
            return null;
        }

        // Tolerate a trailing newline written by hand or by other tools.
        return Digest.TryParse(Encoding.ASCII.GetString(content).Trim(), out var digest) ? digest : null;
    }

    public static async Task<bool> PointsToAsync(IStorageDriver driver, string path, Digest digest, CancellationToken cancellationToken) =>
        await ReadAsync(driver, path, cancellationToken) is { } linked && linked.Equals(digest);
}
