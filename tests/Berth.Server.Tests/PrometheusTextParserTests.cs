using Berth.Testing.Prometheus;

namespace Berth.Server.Tests;

/// <summary>The test helper's parser must refuse what Prometheus refuses, or a scrape test proves nothing.</summary>
public sealed class PrometheusTextParserTests
{
    private const string Valid = """
        # HELP requests_total Requests.
        # TYPE requests_total counter
        requests_total{route="blob",method="GET"} 3
        requests_total{route="a \"quoted\\ name\""} 1e3
        # TYPE latency_seconds histogram
        latency_seconds_bucket{le="0.1"} 1
        latency_seconds_bucket{le="+Inf"} 2
        latency_seconds_sum 0.3
        latency_seconds_count 2
        up{} 1 1700000000000

        """;

    [Fact]
    public void A_valid_exposition_parses_with_labels_escapes_and_histograms()
    {
        var scrape = PrometheusTextParser.Parse(Valid.Replace("\r", "", StringComparison.Ordinal));

        Assert.Equal(3, scrape.Sum("requests_total", ("route", "blob")));
        Assert.Equal(1000, scrape.Sum("requests_total", ("route", "a \"quoted\\ name\"")));
        Assert.Equal("histogram", scrape.Types["latency_seconds"]);
        Assert.Equal(1, scrape.Sum("up"));
    }

    [Theory]
    [InlineData("requests_total{route=\"blob} 1\n")]
    [InlineData("requests_total{route=blob} 1\n")]
    [InlineData("requests_total{route=\"a\\x\"} 1\n")]
    [InlineData("requests-total 1\n")]
    [InlineData("requests_total one\n")]
    [InlineData("requests_total 1")]
    [InlineData("a 1\nb 1\na{x=\"1\"} 1\n")]
    [InlineData("a 1\na 2\n")]
    [InlineData("a 1\n# TYPE a counter\n")]
    [InlineData("# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n")]
    [InlineData("# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_sum 1\nh_count 1\n")]
    [InlineData("# TYPE a countr\na 1\n")]
    public void Malformed_expositions_are_refused(string text)
    {
        Assert.Throws<FormatException>(() => PrometheusTextParser.Parse(text));
    }
}
