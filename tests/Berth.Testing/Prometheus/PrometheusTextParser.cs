using System.Globalization;
using System.Text;

namespace Berth.Testing.Prometheus;

/// <summary>
/// A strict parser for the Prometheus text exposition format 0.0.4, for tests that must prove an endpoint is
/// scrapable, not merely that a string occurs in it. It rejects what Prometheus rejects (bad names, unterminated or
/// badly escaped label values, bad numbers, duplicate series, a # TYPE after its samples or twice, a family's samples
/// split apart) and checks histograms: cumulative buckets, a +Inf bucket equal to _count, and a _sum.
/// </summary>
public static class PrometheusTextParser
{
    private static readonly HashSet<string> KnownTypes = ["counter", "gauge", "histogram", "summary", "untyped"];

    public static PrometheusScrape Parse(string text)
    {
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        var samples = new List<PrometheusSample>();
        var seriesSeen = new HashSet<string>(StringComparer.Ordinal);
        var familiesClosed = new HashSet<string>(StringComparer.Ordinal);
        string? currentFamily = null;
        var lines = text.Split('\n');
        if (lines[^1].Length != 0)
        {
            throw new FormatException("the exposition must end with a line feed");
        }

        for (var number = 1; number <= lines.Length - 1; number++)
        {
            var line = lines[number - 1];
            string Where() => $"line {number}: '{line}'";
            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith('#'))
            {
                var parts = line.Split(' ', 4);
                if (parts.Length >= 3 && parts[0] == "#" && parts[1] is "TYPE" or "HELP")
                {
                    if (!IsMetricName(parts[2]))
                    {
                        throw new FormatException($"{Where()}: bad metric name");
                    }

                    if (parts[1] == "TYPE")
                    {
                        if (parts.Length != 4 || !KnownTypes.Contains(parts[3]))
                        {
                            throw new FormatException($"{Where()}: bad type");
                        }

                        if (!types.TryAdd(parts[2], parts[3]) || samples.Any(s => FamilyOf(s.Name, types) == parts[2]))
                        {
                            throw new FormatException($"{Where()}: TYPE given twice or after the family's samples");
                        }
                    }
                }

                continue;
            }

            var sample = ParseSample(line, Where);
            var family = FamilyOf(sample.Name, types);
            if (family != currentFamily)
            {
                if (currentFamily is not null)
                {
                    familiesClosed.Add(currentFamily);
                }

                if (familiesClosed.Contains(family))
                {
                    throw new FormatException($"{Where()}: samples of {family} are not together");
                }

                currentFamily = family;
            }

            var key = sample.Name + "{" + string.Join(",", sample.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Key + "=" + l.Value)) + "}";
            if (!seriesSeen.Add(key))
            {
                throw new FormatException($"{Where()}: duplicate series {key}");
            }

            samples.Add(sample);
        }

        var scrape = new PrometheusScrape(types, samples);
        foreach (var (family, type) in types.Where(t => t.Value == "histogram"))
        {
            CheckHistogram(family, scrape);
        }

        return scrape;
    }

    private static PrometheusSample ParseSample(string line, Func<string> where)
    {
        var position = 0;
        while (position < line.Length && (char.IsAsciiLetterOrDigit(line[position]) || line[position] is '_' or ':'))
        {
            position++;
        }

        var name = line[..position];
        if (!IsMetricName(name))
        {
            throw new FormatException($"{where()}: bad metric name");
        }

        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (position < line.Length && line[position] == '{')
        {
            position++;
            while (true)
            {
                if (position < line.Length && line[position] == '}')
                {
                    position++;
                    break;
                }

                var start = position;
                while (position < line.Length && (char.IsAsciiLetterOrDigit(line[position]) || line[position] == '_'))
                {
                    position++;
                }

                var labelName = line[start..position];
                if (labelName.Length == 0 || char.IsAsciiDigit(labelName[0]) || position + 1 >= line.Length || line[position] != '=' || line[position + 1] != '"')
                {
                    throw new FormatException($"{where()}: bad label at column {start + 1}");
                }

                position += 2;
                var value = new StringBuilder();
                while (true)
                {
                    if (position >= line.Length)
                    {
                        throw new FormatException($"{where()}: unterminated label value");
                    }

                    var c = line[position++];
                    if (c == '"')
                    {
                        break;
                    }

                    if (c == '\\')
                    {
                        var escaped = position < line.Length ? line[position++] : '\0';
                        value.Append(escaped switch
                        {
                            '\\' => '\\',
                            '"' => '"',
                            'n' => '\n',
                            _ => throw new FormatException($"{where()}: bad escape in label value"),
                        });
                    }
                    else
                    {
                        value.Append(c);
                    }
                }

                if (!labels.TryAdd(labelName, value.ToString()))
                {
                    throw new FormatException($"{where()}: label {labelName} given twice");
                }

                if (position < line.Length && line[position] == ',')
                {
                    position++;
                }
                else if (position >= line.Length || line[position] != '}')
                {
                    throw new FormatException($"{where()}: expected ',' or '}}' after a label");
                }
            }
        }

        if (position >= line.Length || line[position] != ' ')
        {
            throw new FormatException($"{where()}: expected a space before the value");
        }

        var rest = line[(position + 1)..].Split(' ');
        if (rest.Length is < 1 or > 2 || !TryParseValue(rest[0], out var number) || (rest.Length == 2 && !long.TryParse(rest[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)))
        {
            throw new FormatException($"{where()}: bad value or timestamp");
        }

        return new PrometheusSample(name, labels, number);
    }

    private static bool TryParseValue(string text, out double value)
    {
        switch (text)
        {
            case "NaN":
                value = double.NaN;
                return true;
            case "+Inf":
                value = double.PositiveInfinity;
                return true;
            case "-Inf":
                value = double.NegativeInfinity;
                return true;
            default:
                return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
        }
    }

    private static bool IsMetricName(string name) =>
        name.Length > 0 && !char.IsAsciiDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or ':');

    private static string FamilyOf(string sampleName, IReadOnlyDictionary<string, string> types)
    {
        foreach (var suffix in (string[])["_bucket", "_sum", "_count"])
        {
            if (sampleName.EndsWith(suffix, StringComparison.Ordinal) && types.TryGetValue(sampleName[..^suffix.Length], out var type) && type is "histogram" or "summary")
            {
                return sampleName[..^suffix.Length];
            }
        }

        return sampleName;
    }

    private static void CheckHistogram(string family, PrometheusScrape scrape)
    {
        var counts = scrape.Samples.Where(s => s.Name == family + "_count").ToList();
        foreach (var count in counts)
        {
            var series = count.Labels;
            bool SameSeries(PrometheusSample s) => s.Labels.Count == series.Count + 1 && series.All(l => s.Labels.TryGetValue(l.Key, out var v) && v == l.Value);
            var buckets = scrape.Samples.Where(s => s.Name == family + "_bucket" && s.Labels.ContainsKey("le") && SameSeries(s))
                .Select(s => (Le: TryParseValue(s.Labels["le"], out var le) ? le : throw new FormatException($"{family}: bad le '{s.Labels["le"]}'"), s.Value))
                .ToList();
            if (buckets.Count == 0 || !double.IsPositiveInfinity(buckets[^1].Le) || buckets[^1].Value != count.Value)
            {
                throw new FormatException($"{family}: a series has no +Inf bucket equal to its _count");
            }

            for (var i = 1; i < buckets.Count; i++)
            {
                if (buckets[i].Le <= buckets[i - 1].Le || buckets[i].Value < buckets[i - 1].Value)
                {
                    throw new FormatException($"{family}: buckets are not in order or not cumulative");
                }
            }

            if (!scrape.Samples.Any(s => s.Name == family + "_sum" && s.Labels.Count == series.Count && series.All(l => s.Labels.TryGetValue(l.Key, out var v) && v == l.Value)))
            {
                throw new FormatException($"{family}: a series has no _sum");
            }
        }
    }
}
