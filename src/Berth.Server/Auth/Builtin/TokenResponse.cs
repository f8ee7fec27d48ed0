using System.Text.Json.Serialization;

namespace Berth.Server.Auth.Builtin;

/// <summary>
/// The Docker token spec's response: <c>token</c>, and <c>access_token</c> for OAuth 2 clients, both the same JWT.
/// </summary>
internal sealed record TokenResponse(
    [property: JsonPropertyName("token")] string Token,
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("expires_in")] int ExpiresIn,
    [property: JsonPropertyName("issued_at")] string IssuedAt);

[JsonSerializable(typeof(TokenResponse))]
internal sealed partial class AuthJsonContext : JsonSerializerContext;
