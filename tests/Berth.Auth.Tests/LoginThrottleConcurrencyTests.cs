using System.Net;
using Berth.Auth.Tests.Support;

namespace Berth.Auth.Tests;

/// <summary>A burst of wrong passwords arriving at once gets no more password checks than the throttle's limit.</summary>
public sealed class LoginThrottleConcurrencyTests : IDisposable
{
    private const int Limit = 10;
    private const int Burst = 200;

    private readonly TempDirectory _directory = new("berth-auth");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Two_hundred_wrong_passwords_at_once_get_at_most_the_limit_of_checks_and_the_rest_429()
    {
        // A realistic bcrypt cost, so checks take long enough to overlap as they would under attack.
        var htpasswd = _directory.Combine("htpasswd");
        File.WriteAllText(htpasswd, $"alice:{BCrypt.Net.BCrypt.HashPassword("alice-secret-1", 10)}\n");
        await using var registry = await AuthRegistry.StartAsync(_directory, $"""
            auth:
              htpasswd:
                realm: test-realm
                path: {htpasswd}
                throttle:
                  failures: {Limit}
                  window: 1m
            """);
        using var client = registry.Client(new SocketsHttpHandler { MaxConnectionsPerServer = Burst });
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var statuses = await Task.WhenAll(Enumerable.Range(0, Burst).Select(async i =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "v2/") { Headers = { Authorization = AuthRegistry.Basic("alice", $"guess-{i}") } };
            using var response = await client.SendAsync(request, deadline.Token);
            return response.StatusCode;
        }));

        // Each 401 is one password check; a 429 answered without one.
        var checkedPasswords = statuses.Count(s => s == HttpStatusCode.Unauthorized);
        Assert.InRange(checkedPasswords, 1, Limit);
        Assert.Equal(Burst - checkedPasswords, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
    }
}
