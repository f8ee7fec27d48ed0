using System.Net;
using System.Text.Json;

namespace Berth.Auth.Tests.Support;

/// <summary>Checks the distribution-spec error body: <c>{"errors":[{"code":…,"message":…}]}</c>.</summary>
internal static class ErrorBody
{
    public static async Task AssertAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status} {code}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(body);
        Assert.Contains(document.RootElement.GetProperty("errors").EnumerateArray(), e => e.GetProperty("code").GetString() == code);
    }
}
