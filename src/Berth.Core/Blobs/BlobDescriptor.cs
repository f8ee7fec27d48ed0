using Berth.Core.Digests;

namespace Berth.Core.Blobs;

public sealed record BlobDescriptor(Digest Digest, long Size);
