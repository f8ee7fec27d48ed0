namespace Berth.Interop.Tests.Azure;

/// <summary>The 1 GiB pushes run alone, so the times they report are not shared with other tests' work.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LargeLayerCollection
{
    public const string Name = "large-layer";
}
