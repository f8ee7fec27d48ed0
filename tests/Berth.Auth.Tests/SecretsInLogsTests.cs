using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Berth.Auth.Tests.Support;

namespace Berth.Auth.Tests;

/// <summary>Passwords, tokens and the signing key never reach the log, whatever the log level.</summary>
public sealed class SecretsInLogsTests : IDisposable
{
    private readonly TempDirectory _directory = new("berth-auth");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task No_password_token_or_signing_key_appears_in_the_debug_log()
    {
        const string wrongPassword = "wrong-pw-d41d8cd98f";
        await using var registry = await AuthRegistry.StartAsync(_directory, BuiltinConfig.Write(_directory));
        using var client = registry.Client();
        var secrets = new List<string> { wrongPassword };
        secrets.AddRange(BuiltinConfig.Users.Select(u => u.Password));

        foreach (var (user, password) in BuiltinConfig.Users.Append(("alice", wrongPassword)).Append((wrongPassword, wrongPassword)))
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "auth/token?service=berth-test&scope=repository:team-a/app:pull,push&scope=registry:catalog:*")
            {
                Headers = { Authorization = AuthRegistry.Basic(user, password) },
            };
            using var response = await client.SendAsync(request);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                continue;
            }

            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var token = body.RootElement.GetProperty("token").GetString()!;
            secrets.Add(token.Split('.')[2]);
            foreach (var path in new[] { "v2/", "v2/team-a/app/tags/list", "v2/team-b/app/blobs/uploads/" })
            {
                using var use = new HttpRequestMessage(path.EndsWith("uploads/", StringComparison.Ordinal) ? HttpMethod.Post : HttpMethod.Get, path)
                {
                    Headers = { Authorization = new AuthenticationHeaderValue("Bearer", token) },
                };
                (await client.SendAsync(use)).Dispose();
            }

            // A tampered token is refused and logged, without its text.
            using var tampered = new HttpRequestMessage(HttpMethod.Get, "v2/") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", token[..^4] + "AAAA") } };
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(tampered)).StatusCode);
        }

        var keyPem = File.ReadAllText(_directory.Combine("keys", "token-signing.pem"));
        secrets.AddRange(keyPem.Split('\n').Where(line => line.Length > 20 && !line.StartsWith("-----", StringComparison.Ordinal)));

        var log = registry.Log.Text;
        Assert.Contains("failed token login for user alice", log, StringComparison.Ordinal);
        Assert.Contains("bearer token refused", log, StringComparison.Ordinal);
        Assert.Contains("issued token for carol", log, StringComparison.Ordinal);

        // Access lines name the user a token was issued to, as registry:2's auth.user.name.
        Assert.Contains("auth.user.name=carol", log, StringComparison.Ordinal);
        foreach (var secret in secrets)
        {
            Assert.False(log.Contains(secret, StringComparison.Ordinal), $"the log contains a secret ({secret[..6]}…)");
        }
    }
}
