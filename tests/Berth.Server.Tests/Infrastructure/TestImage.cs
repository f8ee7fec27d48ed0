namespace Berth.Server.Tests.Infrastructure;

public sealed record TestBlob(string Digest, byte[] Content);

/// <summary>An image a test pushed: its manifest bytes exactly as sent, and the blobs they reference.</summary>
public sealed record TestImage(string Repository, string Digest, byte[] Manifest, string MediaType, TestBlob Config, IReadOnlyList<TestBlob> Layers);
