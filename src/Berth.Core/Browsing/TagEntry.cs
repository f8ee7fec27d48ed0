namespace Berth.Core.Browsing;

/// <summary>One tag as the UI lists it; <paramref name="Pushed"/> is the modification time of the tag's current link.</summary>
public sealed record TagEntry(string Name, DateTimeOffset Pushed, ImageSummary Image);
