using Berth.Core.Storage;
using Berth.Core.Storage.Filesystem;
using Berth.Testing.Storage;

namespace Berth.Core.Tests.Storage;

public sealed class FilesystemDriverTests : StorageDriverTests, IDisposable
{
    private readonly List<string> _roots = [];

    protected override Task<IStorageDriver> CreateDriverAsync()
    {
        var root = Directory.CreateTempSubdirectory("berth-fs-").FullName;
        _roots.Add(root);
        return Task.FromResult<IStorageDriver>(new FilesystemDriver(new FilesystemDriverOptions { RootDirectory = root }));
    }

    [Fact]
    public async Task A_path_that_would_resolve_outside_the_root_is_refused_and_touches_nothing_outside()
    {
        var parent = Directory.CreateTempSubdirectory("berth-fs-parent-").FullName;
        _roots.Add(parent);
        var root = Path.Combine(parent, "root");
        Directory.CreateDirectory(root);
        var outside = Path.Combine(parent, "outside");
        await File.WriteAllTextAsync(outside, "secret");
        var driver = new FilesystemDriver(new FilesystemDriverOptions { RootDirectory = root });

        await Assert.ThrowsAnyAsync<ArgumentException>(() => driver.GetContentAsync("/../outside"));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => driver.PutContentAsync("/../outside", "overwritten"u8.ToArray()));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => driver.DeleteAsync("/.."));
        Assert.Throws<ArgumentException>(() => driver.FullPath("/../root-sibling/x"));

        Assert.Equal("secret", await File.ReadAllTextAsync(outside));
        Assert.True(Directory.Exists(root));
    }

    public void Dispose()
    {
        foreach (var root in _roots)
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
