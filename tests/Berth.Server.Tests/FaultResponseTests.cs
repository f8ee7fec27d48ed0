using System.Net;
using Berth.Core.Storage;
using Berth.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Server.Tests;

/// <summary>Issue 8, finding 5: a fault of the registry itself is a 500 with registry:2's code UNKNOWN, and no detail leaks.</summary>
public sealed class FaultResponseTests
{
    [Fact]
    public async Task Unexpected_storage_fault_answers_500_UNKNOWN_without_internals()
    {
        await using var registry = await RegistryFixture.StartAsync(services: services => services.AddSingleton<IStorageDriver>(new FaultyDriver()));

        using var response = await registry.Client.GetAsync("v2/team/app/tags/list");

        var error = await ErrorAssert.HasErrorAsync(response, HttpStatusCode.InternalServerError, "UNKNOWN");
        Assert.DoesNotContain("secret-internal-detail", error.ToString(), StringComparison.Ordinal);
    }

    /// <summary>A driver whose every call fails the way a bug would: not a storage outage, just an exception.</summary>
    private sealed class FaultyDriver : IStorageDriver
    {
        public string Name => "faulty";

        public Task<byte[]?> GetContentAsync(string path, CancellationToken cancellationToken = default) => throw Fault();

        public Task PutContentAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) => throw Fault();

        public Task<Stream?> OpenReadAsync(string path, CancellationToken cancellationToken = default) => throw Fault();

        public Task<StorageEntry?> StatAsync(string path, CancellationToken cancellationToken = default) => throw Fault();

        public Task<IStorageWriter> OpenWriterAsync(string path, bool append, CancellationToken cancellationToken = default) => throw Fault();

        public Task<IReadOnlyList<string>?> ListAsync(string path, CancellationToken cancellationToken = default) => throw Fault();

        public Task MoveAsync(string sourcePath, string destinationPath, CancellationToken cancellationToken = default) => throw Fault();

        public Task<bool> DeleteAsync(string path, CancellationToken cancellationToken = default) => throw Fault();

        public Task<bool> TouchAsync(string path, CancellationToken cancellationToken = default) => throw Fault();

        public Task<ConditionalDeleteResult> DeleteIfUnmodifiedSinceAsync(string path, DateTimeOffset cutoff, CancellationToken cancellationToken = default) => throw Fault();

        public Task<Uri?> GetRedirectUrlAsync(string path, CancellationToken cancellationToken = default) => throw Fault();

        public Task CheckHealthAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

        private static InvalidOperationException Fault() => new("secret-internal-detail");
    }
}
