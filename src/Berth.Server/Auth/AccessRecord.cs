namespace Berth.Server.Auth;

/// <summary>
/// One thing a request needs, in the Docker token spec's terms: <c>repository:team-a/app:push</c>,
/// <c>registry:catalog:*</c>.
/// </summary>
internal readonly record struct AccessRecord(string Type, string Name, string Action)
{
    public const string Repository = "repository";

    public override string ToString() => $"{Type}:{Name}:{Action}";
}
