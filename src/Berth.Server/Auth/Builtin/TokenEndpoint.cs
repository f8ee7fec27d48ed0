using System.Globalization;
using System.Text.Json;
using Berth.Core.Errors;
using Berth.Server.Auth.Htpasswd;
using Berth.Server.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace Berth.Server.Auth.Builtin;

/// <summary>
/// <c>GET /auth/token?service=…&amp;scope=…</c> as the Docker token spec describes it: Basic credentials checked
/// against htpasswd (none means anonymous), each requested scope granted as far as the policy allows, a signed
/// short-lived JWT back.
/// </summary>
internal static partial class TokenEndpoint
{
    public const string Path = "/auth/token";

    public static async Task HandleAsync(HttpContext context, TokenService tokens, ILogger logger)
    {
        var request = context.Request;
        if (!HttpMethods.IsGet(request.Method))
        {
            // Docker's client falls back from the OAuth 2 POST to this GET on 404/405.
            context.Response.Headers.Allow = "GET";
            await RegistryErrorResult.WriteAsync(context, new RegistryError(ErrorCode.Unsupported, "use GET with Basic credentials"), StatusCodes.Status405MethodNotAllowed);
            return;
        }

        var service = request.Query["service"].ToString();
        if (service.Length > 0 && service != tokens.Service)
        {
            await RegistryErrorResult.WriteAsync(context, new RegistryError(ErrorCode.Denied, $"this token server issues tokens for service '{tokens.Service}' only"), StatusCodes.Status400BadRequest);
            return;
        }

        var challenge = $"Basic realm={ChallengeParameter.Quote(tokens.Service)}";
        string? user = null;
        if (BasicCredentials.TryRead(request, out var credentials))
        {
            var outcome = await tokens.Login.CheckAsync(context, credentials);
            if (outcome.RetryAfter is { } retryAfter)
            {
                await RegistryRefusal.ThrottledAsync(context, retryAfter);
                return;
            }

            if (outcome.Result != LoginResult.Verified)
            {
                LogLoginFailed(logger, outcome.Result == LoginResult.WrongPassword ? credentials.User : "(unknown)", context.Connection.RemoteIpAddress?.ToString());
                await RegistryRefusal.UnauthorizedAsync(context, challenge, "invalid username or password");
                return;
            }

            user = credentials.User;
        }
        else if (request.Headers.ContainsKey(HeaderNames.Authorization))
        {
            await RegistryRefusal.UnauthorizedAsync(context, challenge, "the token endpoint takes Basic credentials");
            return;
        }

        var granted = new List<(string Type, string Name, IReadOnlyList<string> Actions)>();
        foreach (var scope in request.Query["scope"].SelectMany(s => (s ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries)))
        {
            if (TryParseScope(scope, out var type, out var name, out var actions)
                && tokens.Policy.Grant(user, type, name, actions) is { Count: > 0 } allowed)
            {
                granted.Add((type, name, allowed));
            }
        }

        var (token, issuedAt) = tokens.Issuer.Issue(user ?? string.Empty, granted);
        LogIssued(logger, user ?? "(anonymous)", string.Join(' ', granted.Select(g => $"{g.Type}:{g.Name}:{string.Join(',', g.Actions)}")));

        context.Response.Headers.CacheControl = "no-store";
        context.Response.ContentType = "application/json";
        var body = new TokenResponse(token, token, (int)tokens.Issuer.Lifetime.TotalSeconds, issuedAt.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        await JsonSerializer.SerializeAsync(context.Response.Body, body, AuthJsonContext.Default.TokenResponse, context.RequestAborted);
    }

    /// <summary><c>repository:team-a/app:pull,push</c>; a resource class (<c>repository(plugin)</c>) is dropped.</summary>
    private static bool TryParseScope(string scope, out string type, out string name, out string[] actions)
    {
        type = name = string.Empty;
        actions = [];
        var first = scope.IndexOf(':', StringComparison.Ordinal);
        var last = scope.LastIndexOf(':');
        if (first <= 0 || last <= first)
        {
            return false;
        }

        type = scope[..first];
        var paren = type.IndexOf('(', StringComparison.Ordinal);
        if (paren > 0)
        {
            type = type[..paren];
        }

        name = scope[(first + 1)..last];
        actions = scope[(last + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return type != AccessRecord.Repository || AccessRecords.IsRepositoryName(name);
    }

    [LoggerMessage(EventId = 430, Level = LogLevel.Information, Message = "issued token for {User}: {Granted}")]
    private static partial void LogIssued(ILogger logger, string user, string granted);

    [LoggerMessage(EventId = 431, Level = LogLevel.Warning, Message = "failed token login for user {User} from {Address}")]
    private static partial void LogLoginFailed(ILogger logger, string user, string? address);
}
