namespace Berth.Interop.Tests.Support;

internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    /// <summary>The berth executable built beside the tests, in the same configuration.</summary>
    public static string BerthDll
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
            var dll = System.IO.Path.Combine(Path, "src", "Berth", "bin", configuration, "net10.0", "berth.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException($"berth is not built at {dll}; build the solution first");
        }
    }

    /// <summary>The benchmark's load tool, built beside the tests.</summary>
    public static string BenchDll
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
            var dll = System.IO.Path.Combine(Path, "bench", "Berth.Bench", "bin", configuration, "net10.0", "berth-bench.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException($"the load tool is not built at {dll}; build the solution first");
        }
    }

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "Berth.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("cannot find Berth.slnx above " + AppContext.BaseDirectory);
    }
}
