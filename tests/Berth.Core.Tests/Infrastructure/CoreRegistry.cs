using Berth.Core.Blobs;
using Berth.Core.Caching;
using Berth.Core.Configuration;
using Berth.Core.Digests;
using Berth.Core.Events;
using Berth.Core.Manifests;
using Berth.Core.Names;
using Berth.Core.Storage;
using Berth.Core.Storage.Filesystem;
using Berth.Core.Tags;
using Berth.Core.Uploads;
using Berth.Core.Writes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Berth.Core.Tests.Infrastructure;

/// <summary>
/// Berth.Core composed exactly as the product composes it (AddBerthCore + AddFilesystemStorage) over a temporary
/// directory, on a fake clock, with a recording event sink. Two instances over one <see cref="Root"/> behave as two
/// registry replicas sharing a store: each has its own cache.
/// </summary>
internal sealed class CoreRegistry : IDisposable
{
    private readonly ServiceProvider _provider;
    private readonly bool _ownsRoot;
    private readonly string _extraYaml;

    private CoreRegistry(string root, bool ownsRoot, FakeTimeProvider time, Func<IStorageDriver, IStorageDriver>? decorateDriver = null, string garbageCollectionYaml = "")
    {
        Root = root;
        _ownsRoot = ownsRoot;
        _extraYaml = garbageCollectionYaml;
        Time = time;
        var yaml = $$"""
            version: 0.1
            storage:
              filesystem:
                rootdirectory: '{{root}}'
              delete:
                enabled: true
            {{garbageCollectionYaml}}
            """;
        var configuration = ConfigurationLoader.Bind(ConfigTreeReader.ReadDocument(yaml, "test"), "test");
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddSingleton<IRegistryEventSink>(Events);
        services.AddBerthCore(configuration).AddFilesystemStorage(new FilesystemDriverOptions { RootDirectory = root });
        if (decorateDriver is not null)
        {
            var product = services.Single(d => d.ServiceType == typeof(IStorageDriver));
            services.Remove(product);
            services.AddSingleton(provider => decorateDriver((IStorageDriver)product.ImplementationFactory!(provider)));
        }

        _provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    /// <param name="decorateDriver">Wraps the product's filesystem driver, to observe the order of storage calls.</param>
    public static CoreRegistry Create(Func<IStorageDriver, IStorageDriver>? decorateDriver = null) =>
        new(Directory.CreateTempSubdirectory("berth-core-").FullName, ownsRoot: true,
            new FakeTimeProvider(DateTimeOffset.Parse("2025-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture)), decorateDriver);

    /// <summary>A registry whose <c>storage.gc</c> section is <paramref name="section"/> (YAML lines indented under it).</summary>
    public static CoreRegistry CreateWithGarbageCollection(string section) =>
        new(Directory.CreateTempSubdirectory("berth-core-").FullName, ownsRoot: true,
            new FakeTimeProvider(DateTimeOffset.Parse("2025-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture)), null,
            "  gc:\n" + string.Join('\n', section.Split('\n').Select(line => "    " + line.Trim())));

    /// <summary>A registry with more top-level YAML (a <c>retention:</c> section), its driver optionally wrapped.</summary>
    public static CoreRegistry CreateWithYaml(string topLevelYaml, Func<IStorageDriver, IStorageDriver>? decorateDriver = null) =>
        new(Directory.CreateTempSubdirectory("berth-core-").FullName, ownsRoot: true,
            new FakeTimeProvider(DateTimeOffset.Parse("2025-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture)), decorateDriver, topLevelYaml);

    /// <summary>Another instance on the same store, clock and configuration, with a cache (and a reference guard) of its own.</summary>
    public CoreRegistry Replica(Func<IStorageDriver, IStorageDriver>? decorateDriver = null) => new(Root, ownsRoot: false, Time, decorateDriver, _extraYaml);

    public string Root { get; }

    public FakeTimeProvider Time { get; }

    public RecordingEventSink Events { get; } = new();

    public IStorageDriver Driver => Get<IStorageDriver>();

    public RegistryWriter Writer => Get<RegistryWriter>();

    public LinkStore Links => Get<LinkStore>();

    public BlobStore Blobs => Get<BlobStore>();

    public TagStore Tags => Get<TagStore>();

    public ManifestStore Manifests => Get<ManifestStore>();

    public UploadStore Uploads => Get<UploadStore>();

    public IRegistryCache Cache => Get<IRegistryCache>();

    public T Get<T>()
        where T : notnull => _provider.GetRequiredService<T>();

    /// <summary>The file behind a storage path, to look at the layout or change it behind the registry's back.</summary>
    public string FileOf(string storagePath) => Path.Combine(Root, storagePath.TrimStart('/'));

    public static RepositoryName Repository(string name) =>
        RepositoryName.TryParse(name, out var repository) ? repository : throw new ArgumentException(name);

    public static Digest DigestOf(byte[] content) => Digest.Compute(DigestAlgorithm.Sha256, content);

    /// <summary>Pushes blobs and an OCI image manifest referencing them; returns the manifest's digest and bytes.</summary>
    public async Task<(Digest Digest, byte[] Content)> PushImageAsync(RepositoryName repository, string? tag, string layerText = "layer")
    {
        var config = "{}"u8.ToArray();
        var layer = System.Text.Encoding.UTF8.GetBytes(layerText);
        await Writer.PutBlobAsync(repository, DigestOf(config), config);
        await Writer.PutBlobAsync(repository, DigestOf(layer), layer);
        var content = Samples.OciManifest(DigestOf(config), config.Length, DigestOf(layer), layer.Length);
        var outcome = await Manifests.PutAsync(repository, tag, expectedDigest: null, content, MediaTypes.OciManifest);
        Assert.Null(outcome.Error);
        return (outcome.Digest!, content);
    }

    public void Dispose()
    {
        _provider.Dispose();
        if (_ownsRoot)
        {
            try
            {
                Directory.Delete(Root, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
