using Berth.Core.Blobs;
using Berth.Core.Collection;
using Berth.Core.Configuration;
using Berth.Core.Diagnostics;
using Berth.Core.Events;
using Berth.Core.Manifests;
using Berth.Core.Proxy;
using Berth.Core.Repositories;
using Berth.Core.Storage;
using Berth.Core.Tags;
using Berth.Core.Uploads;
using Berth.Core.Writes;

namespace Berth.Server.Hosting;

/// <summary>
/// What a registry handler needs, resolved from the service collection (composed by <c>AddBerthCore()</c> and a
/// storage extension): one parameter for the endpoints instead of a dozen.
/// </summary>
public sealed class RegistryServices(
    RegistryConfiguration configuration,
    IStorageDriver driver,
    BlobStore blobs,
    TagStore tags,
    UploadStore uploads,
    ManifestStore manifests,
    ReferrerStore referrers,
    RepositoryCatalog catalog,
    UploadPurger uploadPurger,
    RegistryWriter writer,
    IRegistryEventSink events,
    RegistryMetrics metrics,
    TimeProvider time,
    ReferenceGuard guard,
    ProxyRouter proxy,
    ProxyManifestSource proxyManifests,
    ProxyBlobSource proxyBlobs)
{
    /// <summary>Holds digests a push relies on against a running garbage collection.</summary>
    public ReferenceGuard Guard => guard;

    public RegistryConfiguration Configuration => configuration;

    public IStorageDriver Driver => driver;

    public BlobStore Blobs => blobs;

    public TagStore Tags => tags;

    public UploadStore Uploads => uploads;

    public ManifestStore Manifests => manifests;

    public ReferrerStore Referrers => referrers;

    public RepositoryCatalog Catalog => catalog;

    public UploadPurger UploadPurger => uploadPurger;

    /// <summary>The one write path; endpoints use it for deletes, the stores for everything else.</summary>
    public RegistryWriter Writer => writer;

    public IRegistryEventSink Events => events;

    public RegistryMetrics Metrics => metrics;

    public TimeProvider Time => time;

    /// <summary>Which repositories pull through an upstream (none unless <c>proxy</c> is configured).</summary>
    public ProxyRouter Proxy => proxy;

    public ProxyManifestSource ProxyManifests => proxyManifests;

    public ProxyBlobSource ProxyBlobs => proxyBlobs;
}
