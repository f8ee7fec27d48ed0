namespace Berth.Server.Auth.Htpasswd;

/// <summary>What the Basic scheme needs: the login check and its challenge, <c>Basic realm="…"</c>.</summary>
internal sealed class HtpasswdScheme(PasswordLogin login, string realm)
{
    public PasswordLogin Login => login;

    public string Challenge { get; } = $"Basic realm={ChallengeParameter.Quote(realm)}";
}
