using System.Text.Json.Serialization;

namespace Berth.Core.Proxy;

/// <summary>
/// One entry of registry:2's <c>scheduler-state.json</c> (registry/proxy/scheduler): <c>Key</c> is
/// <c>repository@digest</c>, <c>ExpiryData</c> an RFC 3339 time, <c>EntryType</c> 0 for a blob, 1 for a manifest.
/// Berth reads and writes the same file, so a registry:2 mirror's storage keeps its expiry schedule.
/// </summary>
internal sealed record SchedulerEntry(
    [property: JsonPropertyName("Key")] string Key,
    [property: JsonPropertyName("ExpiryData"), JsonConverter(typeof(GoTimeJsonConverter))] DateTimeOffset Expiry,
    [property: JsonPropertyName("EntryType")] int EntryType)
{
    public const int Blob = 0;
    public const int Manifest = 1;
}

[JsonSerializable(typeof(Dictionary<string, SchedulerEntry>))]
internal sealed partial class SchedulerJsonContext : JsonSerializerContext;
