namespace Berth.Bench.Cli;

internal enum SizeScale
{
    Full,
    Tiny,
}
