namespace Berth.Server.Auth.Htpasswd;

/// <summary>
/// How a login ended. An unknown user name is told apart only so it is not logged: people type passwords into
/// the user name field.
/// </summary>
internal enum LoginResult
{
    Verified,
    WrongPassword,
    UnknownUser,
}
