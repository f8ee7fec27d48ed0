namespace Berth.Core.Browsing;

/// <summary>A repository's tags as read from storage at <paramref name="ReadAt"/>, with the summary derived from them.</summary>
internal sealed record RepositoryView(IReadOnlyList<TagEntry> Tags, RepositorySummary Summary, long ReadAt);
