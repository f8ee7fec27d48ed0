namespace Berth.Auth.Tests.Support;

/// <summary>htpasswd entries: bcrypt at a low cost so tests stay fast, or made by Apache's own <c>htpasswd -B</c>.</summary>
internal static class HtpasswdLines
{
    public static string Entry(string user, string password) => $"{user}:{BCrypt.Net.BCrypt.HashPassword(password, 5)}";

    public static string Write(string path, params (string User, string Password)[] users)
    {
        File.WriteAllLines(path, users.Select(u => Entry(u.User, u.Password)));
        return path;
    }

    /// <summary>The line Apache's tool writes: <c>htpasswd -nbB -C 5 user password</c>.</summary>
    public static async Task<string> FromApacheToolAsync(string user, string password)
    {
        var result = await ExternalProcess.RunAsync("htpasswd", ["-nbB", "-C", "5", user, password], TimeSpan.FromSeconds(30));
        return result.EnsureSuccess("htpasswd").Output.Trim();
    }
}
