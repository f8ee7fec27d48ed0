namespace Berth.Core.Browsing;

/// <summary>
/// One repository as the UI lists it: <paramref name="Size"/> counts each distinct tagged manifest once;
/// <paramref name="LastPush"/> is the newest tag push, null for a repository without tags.
/// </summary>
public sealed record RepositorySummary(string Name, int TagCount, long Size, DateTimeOffset? LastPush);
