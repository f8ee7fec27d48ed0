using System.Security.Cryptography;

namespace Berth.Interop.Tests.Support;

/// <summary>
/// What must hold of a filesystem store after any stop: every blob's data hashes to the digest its path names, and
/// every layer link in a repository names data that exists.
/// </summary>
internal static class StoreConsistency
{
    public static void Assert(string root)
    {
        var v2 = Path.Combine(root, "docker", "registry", "v2");
        var blobs = Path.Combine(v2, "blobs", "sha256");
        if (Directory.Exists(blobs))
        {
            foreach (var data in Directory.EnumerateFiles(blobs, "data", SearchOption.AllDirectories))
            {
                var hex = Path.GetFileName(Path.GetDirectoryName(data))!;
                using var stream = File.OpenRead(data);
                Xunit.Assert.True(Convert.ToHexStringLower(SHA256.HashData(stream)) == hex, $"blob data under {hex} does not hash to its digest");
            }
        }

        var repositories = Path.Combine(v2, "repositories");
        if (!Directory.Exists(repositories))
        {
            return;
        }

        foreach (var link in Directory.EnumerateFiles(repositories, "link", SearchOption.AllDirectories).Where(l => l.Contains($"{Path.DirectorySeparatorChar}_layers{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            var digest = File.ReadAllText(link).Trim();
            var hex = digest["sha256:".Length..];
            Xunit.Assert.True(File.Exists(Path.Combine(blobs, hex[..2], hex, "data")), $"layer link {link} names {digest}, which has no data");
        }
    }
}
