using System.Text.Json.Serialization;

namespace Berth.Server.Notifications;

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(NotificationEnvelope))]
internal sealed partial class NotificationJsonContext : JsonSerializerContext;
