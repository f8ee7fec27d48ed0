using System.Globalization;

namespace Berth.Bench.Running;

/// <summary>CPU seconds and memory of the registry process under test, read from /proc; null once it has exited.</summary>
internal sealed class ServerProcess(int pid)
{
    // USER_HZ is 100 on every Linux ABI .NET runs on; /proc/<pid>/stat counts in those ticks.
    private const double TicksPerSecond = 100;

    public int Pid { get; } = pid;

    public bool IsAlive => File.Exists($"/proc/{Pid}/stat");

    /// <summary>utime + stime of the process (all its threads).</summary>
    public double? CpuSeconds()
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{Pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }

        // The command name may contain spaces and parentheses; the fields after the last ')' are fixed.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // Fields 14 and 15 of stat(5), counted from the state field (3) onwards.
        var utime = long.Parse(fields[14 - 3], CultureInfo.InvariantCulture);
        var stime = long.Parse(fields[15 - 3], CultureInfo.InvariantCulture);
        return (utime + stime) / TicksPerSecond;
    }

    /// <summary>VmHWM: the peak resident set since the process started.</summary>
    public long? PeakRssKiB() => StatusField("VmHWM:");

    public long? RssKiB() => StatusField("VmRSS:");

    private long? StatusField(string name)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
            {
                if (line.StartsWith(name, StringComparison.Ordinal))
                    return long.Parse(line[name.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }
        catch (IOException)
        {
        }

        return null;
    }
}
