using System.Text.Json.Serialization;

namespace Berth.Server.Json;

/// <summary>distribution-spec error body: <c>{"errors":[{"code":…,"message":…,"detail":…}]}</c>.</summary>
internal sealed record ErrorResponse([property: JsonPropertyName("errors")] IReadOnlyList<ErrorEntry> Errors);

internal sealed record ErrorEntry(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("detail")] IReadOnlyDictionary<string, string>? Detail);

internal sealed record TagList(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("tags")] IReadOnlyList<string> Tags);

internal sealed record CatalogPage([property: JsonPropertyName("repositories")] IReadOnlyList<string> Repositories);
