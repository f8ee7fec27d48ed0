using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;

namespace Berth.Server.Tests.Infrastructure;

public sealed record RecordedResponse(HttpMethod Method, Uri? Uri, HttpStatusCode Status, HttpResponseHeaders Headers);

/// <summary>Keeps the status and headers of every response a fixture's client saw.</summary>
public sealed class ResponseRecorder
{
    private readonly ConcurrentQueue<RecordedResponse> _responses = new();

    public IReadOnlyList<RecordedResponse> Responses => _responses.ToArray();

    public void Add(RecordedResponse response) => _responses.Enqueue(response);
}

internal sealed class RecordingHandler(ResponseRecorder recorder, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        recorder.Add(new RecordedResponse(request.Method, request.RequestUri, response.StatusCode, response.Headers));
        return response;
    }
}
