namespace Berth.Bench.Cli;

/// <summary><c>startup --url URL [--runs N] [--idle SECONDS] [--json PATH] -- COMMAND [ARGS...]</c>.</summary>
internal sealed class StartupOptions
{
    public Uri Url { get; private set; } = new("http://127.0.0.1:5000");
    public int Runs { get; private set; } = 5;
    public TimeSpan Idle { get; private set; } = TimeSpan.FromSeconds(2);
    public string? JsonPath { get; private set; }
    public string Command { get; private set; } = "";
    public IReadOnlyList<string> Arguments { get; private set; } = [];

    public static StartupOptions Parse(IReadOnlyList<string> args)
    {
        var o = new StartupOptions();
        var i = 0;
        string Next() => i + 1 < args.Count ? args[++i] : throw new UsageException($"startup: {args[i]} needs a value");
        int NextInt() => int.TryParse(Next(), out var n) && n > 0 ? n : throw new UsageException($"startup: {args[i - 1]} needs a positive integer");
        for (; i < args.Count && args[i] != "--"; i++)
        {
            switch (args[i])
            {
                case "--url": o.Url = new Uri(Next()); break;
                case "--runs": o.Runs = NextInt(); break;
                case "--idle": o.Idle = TimeSpan.FromSeconds(NextInt()); break;
                case "--json": o.JsonPath = Next(); break;
                default: throw new UsageException($"startup: unexpected '{args[i]}'");
            }
        }

        if (i + 1 >= args.Count)
            throw new UsageException("startup: give the server's command after --");
        if (!o.Url.IsLoopback)
            throw new UsageException($"startup: {o.Url} is not a loopback address");
        o.Command = args[i + 1];
        o.Arguments = [.. args.Skip(i + 2)];
        return o;
    }
}
