using System.Net;
using Berth.Server.Tests.Infrastructure;

namespace Berth.Server.Tests;

public sealed class ConcurrentPushTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    private const int Repositories = 20;

    [Fact]
    public async Task Concurrent_pushes_of_the_same_blob_to_20_repositories_all_succeed()
    {
        var client = registry.Client;
        var content = Digests.RandomBytes(256 * 1024);
        var digest = Digests.Sha256(content);
        var repositories = Enumerable.Range(0, Repositories).Select(i => $"concurrent/r{i}-{Guid.NewGuid():N}").ToArray();

        // Half stream the blob in chunks, half push it in one request: both paths race to the same blob.
        var statuses = await Task.WhenAll(repositories.Select(async (repository, i) =>
        {
            if (i % 2 == 0)
            {
                using var monolithic = await client.PostAsync($"v2/{repository}/blobs/uploads/?digest={digest}", new ByteArrayContent(content));
                return monolithic.StatusCode;
            }

            using var session = await client.StartUploadAsync(repository);
            using var patched = await client.PatchAsync(client.LocationOf(session), new ChunkedContent(content, 16 * 1024));
            using var done = await client.CompleteUploadAsync(client.LocationOf(patched), digest);
            return done.StatusCode;
        }));

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Created, s));
        foreach (var repository in repositories)
        {
            using var blob = await client.GetAsync($"v2/{repository}/blobs/{digest}");
            Assert.Equal(content, await blob.Content.ReadAsByteArrayAsync());
        }
    }
}
