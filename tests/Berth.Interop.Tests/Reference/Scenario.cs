namespace Berth.Interop.Tests.Reference;

internal delegate Task<RawResponse> Send(string method, string target, byte[]? body = null, string? contentType = null, long? contentLength = null, params string[] headers);

/// <summary>
/// A sequence of requests run against one registry; each step's answer is recorded so the same scenario on
/// registry:2 and on Berth can be compared step by step (upload locations differ between the two).
/// </summary>
internal sealed class Scenario(Send send, string registry = "")
{
    public string Registry => registry;

    public List<(string Step, RawResponse Answer)> Steps { get; } = [];

    public async Task<RawResponse> StepAsync(string step, string method, string target, byte[]? body = null, string? contentType = null, long? contentLength = null, params string[] headers)
    {
        var answer = await send(method, target, body, contentType, contentLength, headers);
        Steps.Add(($"{step}: {method} {target}", answer));
        Assert.False(answer.Status >= 500 && registry == "registry:2", $"registry:2 answered {answer} to {method} {target}: the scenario cannot serve as a reference");
        return answer;
    }

    /// <summary>POST a new upload and return its location as a request target (path and query).</summary>
    public async Task<string> StartUploadAsync(string repository)
    {
        var answer = await StepAsync("start upload", "POST", $"/v2/{repository}/blobs/uploads/", contentLength: 0);
        return Target(answer.Header("Location") ?? throw new InvalidOperationException($"no Location in {answer}"));
    }

    public static string Target(string location) =>
        location.StartsWith("http", StringComparison.Ordinal) ? new Uri(location).PathAndQuery : location;

    public static string WithDigest(string target, string digest) =>
        target + (target.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "digest=" + digest;

    public static async Task RunOnBothAsync(ReferencePair pair, Func<Scenario, Task> scenario)
    {
        var reference = new Scenario(pair.SendToRegistry2Async, "registry:2");
        await scenario(reference);
        var berth = new Scenario(pair.SendToBerthAsync, "berth");
        try
        {
            await scenario(berth);
        }
        catch (Exception)
        {
            // The first step where Berth's answer differs explains more than a later assertion inside the scenario.
            CompareSteps(reference, berth);
            throw;
        }

        Assert.Equal(reference.Steps.Count, berth.Steps.Count);
        CompareSteps(reference, berth);
    }

    private static void CompareSteps(Scenario reference, Scenario berth)
    {
        for (var i = 0; i < Math.Min(reference.Steps.Count, berth.Steps.Count); i++)
        {
            ReferenceAssert.SameAnswer(berth.Steps[i].Step, reference.Steps[i].Answer, berth.Steps[i].Answer);
        }
    }
}
