namespace Berth.Interop.Tests.Support;

internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    /// <summary>
    /// The program that runs berth: the Native AOT executable named by BERTH_BINARY (scripts/test.sh publishes one, so
    /// these tests prove the build users run), else <c>dotnet</c> with the JIT build beside the tests.
    /// </summary>
    public static string BerthFileName => NativeBerth ?? "dotnet";

    /// <summary>The arguments for <see cref="BerthFileName"/>: berth's own, after berth.dll on the JIT build.</summary>
    public static string[] BerthArguments(params string[] arguments) => NativeBerth is null ? [BerthDll, .. arguments] : arguments;

    private static string? NativeBerth
    {
        get
        {
            var binary = Environment.GetEnvironmentVariable("BERTH_BINARY");
            if (string.IsNullOrEmpty(binary))
            {
                return null;
            }

            return File.Exists(binary) ? System.IO.Path.GetFullPath(binary) : throw new FileNotFoundException($"BERTH_BINARY names {binary}, which does not exist");
        }
    }

    /// <summary>The JIT build of berth beside the tests, in the same configuration.</summary>
    private static string BerthDll
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
