using System.Net;
using System.Text.Json;

namespace Berth.Server.Tests.Infrastructure;

/// <summary>Checks the distribution-spec error body: <c>{"errors":[{"code":…,"message":…,"detail":…}]}</c>.</summary>
public static class ErrorAssert
{
    public static async Task<JsonElement> HasErrorAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status} {code}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(body);
        var errors = document.RootElement.GetProperty("errors");
        Assert.Equal(JsonValueKind.Array, errors.ValueKind);
        JsonElement? match = null;
        foreach (var error in errors.EnumerateArray())
        {
            Assert.Equal(JsonValueKind.String, error.GetProperty("code").ValueKind);
            Assert.Equal(JsonValueKind.String, error.GetProperty("message").ValueKind);
            if (error.GetProperty("code").GetString() == code)
            {
                match = error.Clone();
            }
        }

        Assert.True(match is not null, $"expected error code {code} in {body}");
        return match!.Value;
    }
}
