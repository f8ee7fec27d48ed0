using System.Text.Json;
using System.Text.Json.Serialization;

namespace Berth.Server.Ui;

// The UI API's response bodies (docs/ui.md). Kept together: each is a plain shape of one response.

internal sealed record SessionResponse(string? User, bool DeleteEnabled, string Host, bool AuthRequired);

internal sealed record PageResponse<T>(int Total, int Page, int PerPage, IReadOnlyList<T> Items);

internal sealed record RepositoryItem(string Name, int TagCount, long Size, DateTimeOffset? LastPush);

internal sealed record TagItem(string Name, string Digest, string MediaType, long Size, IReadOnlyList<string> Platforms, DateTimeOffset? Created, DateTimeOffset Pushed, string? ArtifactType);

internal sealed record TagPage(string Repository, bool CanDelete, int Total, int Page, int PerPage, IReadOnlyList<TagItem> Items);

internal sealed record DescriptorItem(string Digest, string MediaType, long Size, string? Platform, string? ArtifactType, IReadOnlyDictionary<string, string>? Annotations);

internal sealed record ImageResponse(
    string Repository,
    string Digest,
    string MediaType,
    long Size,
    IReadOnlyList<string> Tags,
    bool CanDelete,
    JsonElement? Manifest,
    JsonElement? Config,
    IReadOnlyList<DescriptorItem> Layers,
    IReadOnlyList<DescriptorItem> Children,
    IReadOnlyList<DescriptorItem> Referrers);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SessionResponse))]
[JsonSerializable(typeof(PageResponse<RepositoryItem>))]
[JsonSerializable(typeof(TagPage))]
[JsonSerializable(typeof(ImageResponse))]
internal sealed partial class UiJsonContext : JsonSerializerContext;
