namespace Berth.Bench.Cli;

internal sealed class UsageException(string message) : Exception(message);
