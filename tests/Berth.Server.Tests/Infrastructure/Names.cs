namespace Berth.Server.Tests.Infrastructure;

public static class Names
{
    /// <summary>A fresh repository name, so tests sharing a registry never see each other's content.</summary>
    public static string Repository(string prefix = "test") => $"{prefix}/{Guid.NewGuid():N}";
}
