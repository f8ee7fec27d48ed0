namespace Berth.Bench.Cli;

/// <summary><c>table --column NAME=a.json[,b.json] ...</c>: the first two columns are compared in the ratio column.</summary>
internal sealed class TableOptions
{
    public List<(string Name, IReadOnlyList<string> Files)> Columns { get; } = [];

    public static TableOptions Parse(IReadOnlyList<string> args)
    {
        var o = new TableOptions();
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] != "--column" || i + 1 >= args.Count)
                throw new UsageException($"table: unexpected '{args[i]}'");
            var spec = args[++i];
            var eq = spec.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
                throw new UsageException($"table: --column needs NAME=file.json[,more.json], not '{spec}'");
            o.Columns.Add((spec[..eq], spec[(eq + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries)));
        }

        if (o.Columns.Count < 1)
            throw new UsageException("table: give at least one --column");
        return o;
    }
}
