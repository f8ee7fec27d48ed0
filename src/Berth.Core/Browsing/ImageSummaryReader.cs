using System.Collections.Concurrent;
using System.Text.Json;
using Berth.Core.Blobs;
using Berth.Core.Digests;
using Berth.Core.Manifests;
using Berth.Core.Names;

namespace Berth.Core.Browsing;

/// <summary>
/// Derives <see cref="ImageSummary"/> from a manifest and its config, read through the repository's links. A summary
/// depends on content only, so it is kept by digest; every read still checks the repository's revision link.
/// </summary>
public sealed class ImageSummaryReader(ManifestStore manifests, BlobStore blobs)
{
    /// <summary>Configs are small JSON; anything larger is not read for a summary.</summary>
    public const int MaxConfigBytes = 1024 * 1024;

    private const int MaxSummaries = 200_000;

    private readonly ConcurrentDictionary<Digest, ImageSummary> _summaries = new();

    /// <summary>The summary of a manifest the repository holds; null when it does not hold it.</summary>
    public async Task<ImageSummary?> GetAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken = default)
    {
        if (_summaries.TryGetValue(digest, out var known))
        {
            // Known from any repository; shown for this one only if this one holds it.
            return await manifests.IsRevisionAsync(repository, digest, cancellationToken) ? known : null;
        }

        var stored = await manifests.GetAsync(repository, digest, cancellationToken);
        if (stored is null)
        {
            return null;
        }

        var manifest = ManifestParser.Parse(stored.Content, stored.MediaType).Manifest;
        ImageSummary summary;
        if (manifest is null)
        {
            summary = new ImageSummary(digest, stored.MediaType, stored.Content.Length, [], null, null);
        }
        else if (manifest.IsIndex)
        {
            long size = 0;
            foreach (var child in manifest.Manifests)
            {
                size += (await GetAsync(repository, child.Digest, cancellationToken))?.Size ?? child.Size;
            }

            var platforms = manifest.Manifests
                .Where(m => m.Platform is not null && m.Platform.Os != "unknown")
                .Select(m => Platform(m.Platform!.Os, m.Platform.Architecture, m.Platform.Variant))
                .Distinct().ToList();
            summary = new ImageSummary(digest, stored.MediaType, size, platforms, null, manifest.ArtifactType);
        }
        else
        {
            var size = (manifest.Config?.Size ?? 0) + manifest.Layers.Sum(l => l.Size);
            var config = manifest.Config is { } c ? await ReadConfigAsync(repository, c, cancellationToken) : null;
            var (created, platform) = ReadConfigFacts(config);
            summary = new ImageSummary(digest, stored.MediaType, size, platform is null ? [] : [platform], created, manifest.EffectiveArtifactType);
        }

        if (_summaries.Count >= MaxSummaries)
        {
            _summaries.Clear();
        }

        _summaries[digest] = summary;
        return summary;
    }

    /// <summary>The config blob's bytes when the repository links it and it is small enough to be a config.</summary>
    public async Task<byte[]?> ReadConfigAsync(RepositoryName repository, Descriptor config, CancellationToken cancellationToken = default)
    {
        if (config.Size is <= 0 or > MaxConfigBytes || !await blobs.IsLayerLinkedAsync(repository, config.Digest, cancellationToken))
        {
            return null;
        }

        await using var stream = await blobs.OpenReadAsync(config.Digest, cancellationToken);
        if (stream is null || stream.Length != config.Size)
        {
            return null;
        }

        var bytes = new byte[config.Size];
        await stream.ReadExactlyAsync(bytes, cancellationToken);
        return Digest.Compute(config.Digest.Algorithm, bytes).Equals(config.Digest) ? bytes : null;
    }

    private static (DateTimeOffset? Created, string? Platform) ReadConfigFacts(byte[]? config)
    {
        if (config is null)
        {
            return (null, null);
        }

        try
        {
            using var document = JsonDocument.Parse(config);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, null);
            }

            DateTimeOffset? created = root.TryGetProperty("created", out var c) && c.ValueKind == JsonValueKind.String && c.TryGetDateTimeOffset(out var at) ? at : null;
            var os = Text(root, "os");
            var architecture = Text(root, "architecture");
            return (created, os is null || architecture is null ? null : Platform(os, architecture, Text(root, "variant")));
        }
        catch (JsonException)
        {
            // Not an image config (an artifact's config may be anything): no facts to show.
            return (null, null);
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;

    private static string Platform(string os, string architecture, string? variant) =>
        variant is null ? $"{os}/{architecture}" : $"{os}/{architecture}/{variant}";
}
