using System.Text.Json.Serialization;

namespace Berth.Server.Json;

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(TagList))]
[JsonSerializable(typeof(CatalogPage))]
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class RegistryJsonContext : JsonSerializerContext;
