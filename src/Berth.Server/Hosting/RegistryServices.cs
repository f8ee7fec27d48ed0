using Berth.Core.Blobs;
using Berth.Core.Configuration;
using Berth.Core.Manifests;
using Berth.Core.Repositories;
using Berth.Core.Storage;
using Berth.Core.Tags;
using Berth.Core.Uploads;

namespace Berth.Server.Hosting;

/// <summary>Everything a registry handler needs, built once per process around one storage driver.</summary>
public sealed class RegistryServices
{
    public RegistryServices(RegistryConfiguration configuration, IStorageDriver driver, TimeProvider? time = null)
    {
        Configuration = configuration;
        Driver = driver;
        time ??= TimeProvider.System;
        var links = new LinkStore(driver, time);
        var hashStates = new UploadHashStates();
        Catalog = new RepositoryCatalog(driver, time);
        Blobs = new BlobStore(driver, links, Catalog);
        Tags = new TagStore(driver, links, time);
        Uploads = new UploadStore(driver, Blobs, hashStates, time);
        Manifests = new ManifestStore(driver, links, Blobs, Tags, Catalog);
        Referrers = new ReferrerStore(driver, Manifests);
        UploadPurger = new UploadPurger(driver, Catalog, hashStates, time);
    }

    public UploadPurger UploadPurger { get; }

    public RegistryConfiguration Configuration { get; }

    public IStorageDriver Driver { get; }

    public BlobStore Blobs { get; }

    public TagStore Tags { get; }

    public UploadStore Uploads { get; }

    public ManifestStore Manifests { get; }

    public ReferrerStore Referrers { get; }

    public RepositoryCatalog Catalog { get; }
}
