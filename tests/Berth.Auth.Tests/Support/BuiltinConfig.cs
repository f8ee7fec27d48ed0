namespace Berth.Auth.Tests.Support;

/// <summary>
/// The worked example of docs/security.md: alice administers, bob reads, carol (group team-a) pushes team-a/*,
/// anyone may pull public/*.
/// </summary>
internal static class BuiltinConfig
{
    public const string Service = "berth-test";

    public static readonly (string User, string Password)[] Users =
        [("alice", "alice-pw-7f3a"), ("bob", "bob-pw-91c2"), ("carol", "carol-pw-55e0")];

    public static string Write(TempDirectory directory, string extra = "")
    {
        var htpasswd = directory.Combine("htpasswd");
        if (!File.Exists(htpasswd))
        {
            HtpasswdLines.Write(htpasswd, Users);
        }

        return $"""
            auth:
              builtin:
                service: {Service}
                issuer: berth-test-issuer
                htpasswd: {htpasswd}
                signingkey: {directory.Combine("keys", "token-signing.pem")}
                expiration: 5m
                throttle:
                  failures: 5
                groups:
                  team-a: [carol]
                rules:
                  admins:
                    users: [alice]
                    repositories: ["*"]
                    actions: [pull, push, delete, catalog]
                  readers:
                    users: [bob]
                    repositories: ["*"]
                    actions: [pull]
                  team-a:
                    groups: [team-a]
                    repositories: ["team-a/*"]
                    actions: [pull, push]
                  public:
                    anonymous: true
                    repositories: ["public/*"]
                    actions: [pull]
            {extra}
            """;
    }
}
