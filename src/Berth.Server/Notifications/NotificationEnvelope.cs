using System.Text.Json.Serialization;

namespace Berth.Server.Notifications;

// registry:2's wire format (notifications/event.go, media type application/vnd.docker.distribution.events.v1+json in
// 2.8). Field names are spelled out because they are not one naming policy (useragent, instanceID, fromRepository);
// empty fields are left out as Go's omitempty does, except request.id, method and useragent, which registry:2 always
// writes. The records are kept together in this file because together they are one document.

internal sealed record NotificationEnvelope([property: JsonPropertyName("events")] IReadOnlyList<NotificationEvent> Events);

internal sealed record NotificationEvent(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("timestamp")] DateTime Timestamp,
    [property: JsonPropertyName("action")] string Action,
    [property: JsonPropertyName("target")] NotificationTarget Target,
    [property: JsonPropertyName("request")] NotificationRequest Request,
    [property: JsonPropertyName("actor")] NotificationActor Actor,
    [property: JsonPropertyName("source")] NotificationSource Source);

internal sealed record NotificationTarget(
    [property: JsonPropertyName("mediaType")] string? MediaType,
    [property: JsonPropertyName("size")] long? Size,
    [property: JsonPropertyName("digest")] string? Digest,
    [property: JsonPropertyName("length")] long? Length,
    [property: JsonPropertyName("repository")] string Repository,
    [property: JsonPropertyName("fromRepository")] string? FromRepository = null,
    [property: JsonPropertyName("url")] string? Url = null,
    [property: JsonPropertyName("tag")] string? Tag = null,
    [property: JsonPropertyName("references")] IReadOnlyList<NotificationDescriptor>? References = null);

internal sealed record NotificationDescriptor(
    [property: JsonPropertyName("mediaType")] string MediaType,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("digest")] string Digest);

internal sealed record NotificationRequest(
    [property: JsonPropertyName("id"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] string Id,
    [property: JsonPropertyName("addr")] string? Addr,
    [property: JsonPropertyName("host")] string? Host,
    [property: JsonPropertyName("method"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] string Method,
    [property: JsonPropertyName("useragent"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] string UserAgent);

internal sealed record NotificationActor([property: JsonPropertyName("name")] string? Name);

internal sealed record NotificationSource(
    [property: JsonPropertyName("addr")] string? Addr,
    [property: JsonPropertyName("instanceID")] string InstanceId);
