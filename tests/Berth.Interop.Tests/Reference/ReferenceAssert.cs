namespace Berth.Interop.Tests.Reference;

internal static class ReferenceAssert
{
    /// <summary>Berth answers the reference's status code, and for a JSON error the reference's first error code.</summary>
    public static void SameAnswer(string request, RawResponse registry2, RawResponse berth)
    {
        var message = $"{request}\n  registry:2 answered {registry2}\n  berth answered      {berth}";
        Assert.True(registry2.Status is > 0 and < 500, $"registry:2 cannot serve as the reference here: {message}");
        Assert.True(registry2.Status == berth.Status, message);
        if (registry2.ErrorCode is { } code)
        {
            Assert.True(code == berth.ErrorCode, message);
        }
    }

    /// <summary>One of the allowed (status, error code) pairs; a null code allows any JSON error body.</summary>
    public static void Refused(string request, RawResponse berth, params (int Status, string? Code)[] allowed)
    {
        var isHead = request.StartsWith("HEAD", StringComparison.Ordinal);
        var ok = allowed.Any(a => a.Status == berth.Status && (isHead || (a.Code is null ? berth.ErrorCode is not null : a.Code == berth.ErrorCode)));
        Assert.True(ok, $"{request}\n  berth answered {berth}\n  expected {string.Join(" or ", allowed.Select(a => $"{a.Status} {a.Code ?? "(any JSON error)"}"))}");
    }
}
