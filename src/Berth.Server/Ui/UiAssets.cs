using System.Reflection;
using System.Security.Cryptography;

namespace Berth.Server.Ui;

/// <summary>
/// The UI's static files, embedded in the assembly at build time (Ui/wwwroot), read once and served from memory with a
/// content hash as ETag: three small files, no file provider needed.
/// </summary>
internal sealed class UiAssets
{
    private const string Prefix = "Berth.Server.Ui.wwwroot.";

    private readonly Dictionary<string, UiAsset> _assets = new(StringComparer.Ordinal);

    public UiAssets()
    {
        var assembly = typeof(UiAssets).Assembly;
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            var content = new byte[stream.Length];
            stream.ReadExactly(content);
            var name = resource[Prefix.Length..];
            _assets[name] = new UiAsset(content, ContentType(name), $"\"{Convert.ToHexStringLower(SHA256.HashData(content))[..16]}\"");
        }
    }

    public UiAsset? Find(string name) => _assets.GetValueOrDefault(name);

    private static string ContentType(string name) => Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };
}

internal sealed record UiAsset(byte[] Content, string ContentType, string ETag);
