using System.Collections;

namespace Berth.Cli;

internal static class EnvironmentVariables
{
    public static IEnumerable<KeyValuePair<string, string>> Read()
    {
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            yield return new KeyValuePair<string, string>((string)entry.Key, entry.Value as string ?? string.Empty);
        }
    }
}
