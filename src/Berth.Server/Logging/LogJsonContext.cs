using System.Text.Json.Serialization;

namespace Berth.Server.Logging;

[JsonSerializable(typeof(string))]
internal sealed partial class LogJsonContext : JsonSerializerContext;
