using System.Globalization;

namespace Berth.Core.Configuration;

/// <summary>Go's time.ParseDuration format (<c>1h30m</c>, <c>168h</c>, <c>500ms</c>) that registry:2 configs use.</summary>
public static class GoDuration
{
    public static bool TryParse(string text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        var span = text.AsSpan().Trim();
        if (span.IsEmpty)
        {
            return false;
        }

        if (span is "0")
        {
            return true;
        }

        double totalTicks = 0;
        while (!span.IsEmpty)
        {
            var numberLength = 0;
            while (numberLength < span.Length && (char.IsAsciiDigit(span[numberLength]) || span[numberLength] == '.'))
            {
                numberLength++;
            }

            var unitLength = 0;
            while (numberLength + unitLength < span.Length && char.IsAsciiLetter(span[numberLength + unitLength]) || numberLength + unitLength < span.Length && span[numberLength + unitLength] == 'µ')
            {
                unitLength++;
            }

            if (numberLength == 0 || unitLength == 0 ||
                !double.TryParse(span[..numberLength], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            {
                return false;
            }

            double? ticksPerUnit = span.Slice(numberLength, unitLength) switch
            {
                "ns" => 0.01,
                "us" or "µs" => 10,
                "ms" => TimeSpan.TicksPerMillisecond,
                "s" => TimeSpan.TicksPerSecond,
                "m" => TimeSpan.TicksPerMinute,
                "h" => TimeSpan.TicksPerHour,
                _ => null,
            };
            if (ticksPerUnit is null)
            {
                return false;
            }

            totalTicks += number * ticksPerUnit.Value;
            span = span[(numberLength + unitLength)..];
        }

        value = TimeSpan.FromTicks((long)totalTicks);
        return true;
    }
}
