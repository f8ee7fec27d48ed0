using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using Berth.Bench.Content;

namespace Berth.Bench.Registry;

/// <summary>The registry HTTP API calls the workloads make, each checking the status the spec promises.</summary>
internal sealed class RegistryClient : IDisposable
{
    private const int DiscardBufferLength = 128 * 1024;

    private readonly HttpClient _http;

    public RegistryClient(Uri baseUrl, int connections)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            UseProxy = false,
            // registry:2 on cloud storage answers blob GETs with redirects; following them is part of a pull.
            AllowAutoRedirect = true,
        };
        _http = new HttpClient(handler) { BaseAddress = baseUrl, Timeout = Timeout.InfiniteTimeSpan };
    }

    public void Dispose() => _http.Dispose();

    public async Task<bool> BlobExistsAsync(string repository, string digest, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, $"v2/{repository}/blobs/{digest}");
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
            return false;
        await EnsureAsync(request, response, HttpStatusCode.OK, cancellationToken);
        return true;
    }

    /// <summary>POST to open an upload session, then PUT ?digest= with the whole body.</summary>
    public async Task PushMonolithicAsync(string repository, IBlobPayload blob, CancellationToken cancellationToken)
    {
        var location = await StartUploadAsync(repository, cancellationToken);
        await CompleteUploadAsync(location, blob, blob.CreateContent(declareLength: true), cancellationToken);
    }

    /// <summary>POST, one PATCH whose body is streamed with chunked transfer encoding (as docker push does), then PUT ?digest=.</summary>
    public async Task PushChunkedAsync(string repository, IBlobPayload blob, CancellationToken cancellationToken)
    {
        var location = await StartUploadAsync(repository, cancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Patch, location) { Content = blob.CreateContent(declareLength: false) };
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        await EnsureAsync(request, response, HttpStatusCode.Accepted, cancellationToken);
        await CompleteUploadAsync(Location(response), blob, content: null, cancellationToken);
    }

    /// <summary>Cross-repository mount; falls back to a monolithic upload in the session the registry opened instead.</summary>
    public async Task MountOrPushAsync(string repository, string fromRepository, IBlobPayload blob, CancellationToken cancellationToken)
    {
        var path = $"v2/{repository}/blobs/uploads/?mount={Uri.EscapeDataString(blob.Digest)}&from={Uri.EscapeDataString(fromRepository)}";
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Created)
            return;
        await EnsureAsync(request, response, HttpStatusCode.Accepted, cancellationToken);
        await CompleteUploadAsync(Location(response), blob, blob.CreateContent(declareLength: true), cancellationToken);
    }

    public async Task PutManifestAsync(string repository, string reference, byte[] manifest, string mediaType, CancellationToken cancellationToken)
    {
        var content = new ByteArrayContent(manifest);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        using var request = new HttpRequestMessage(HttpMethod.Put, $"v2/{repository}/manifests/{reference}") { Content = content };
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        await EnsureAsync(request, response, HttpStatusCode.Created, cancellationToken);
    }

    /// <summary>GET a blob, reading and discarding the body; returns the bytes read after checking the length.</summary>
    public async Task<long> PullBlobAsync(string repository, string digest, long expectedSize, CancellationToken cancellationToken)
    {
        var read = await GetAndDiscardAsync($"v2/{repository}/blobs/{digest}", accept: null, cancellationToken);
        if (read != expectedSize)
            throw new InvalidDataException($"GET blob {digest}: read {read} bytes, expected {expectedSize}");
        return read;
    }

    public async Task HeadManifestAsync(string repository, string reference, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, $"v2/{repository}/manifests/{reference}");
        AcceptManifests(request);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        await EnsureAsync(request, response, HttpStatusCode.OK, cancellationToken);
    }

    public Task<long> GetManifestAsync(string repository, string reference, CancellationToken cancellationToken) =>
        GetAndDiscardAsync($"v2/{repository}/manifests/{reference}", accept: AcceptManifests, cancellationToken);

    public Task<long> ListTagsAsync(string repository, CancellationToken cancellationToken) =>
        GetAndDiscardAsync($"v2/{repository}/tags/list", accept: null, cancellationToken);

    /// <summary>The whole catalog, following <c>Link: &lt;...&gt;; rel="next"</c> pages; returns bytes read.</summary>
    public async Task<long> ListCatalogAsync(int pageSize, CancellationToken cancellationToken)
    {
        string? next = $"v2/_catalog?n={pageSize}";
        long total = 0;
        for (var page = 0; next is not null; page++)
        {
            // Bounded: a registry that keeps answering with a next page must not keep this loop alive.
            if (page > 10_000)
                throw new InvalidDataException("_catalog: more than 10,000 pages");
            using var request = new HttpRequestMessage(HttpMethod.Get, next);
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            await EnsureAsync(request, response, HttpStatusCode.OK, cancellationToken);
            total += await DiscardAsync(response, cancellationToken);
            next = NextPage(response);
        }

        return total;
    }

    private async Task<Uri> StartUploadAsync(string repository, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"v2/{repository}/blobs/uploads/");
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        await EnsureAsync(request, response, HttpStatusCode.Accepted, cancellationToken);
        return Location(response);
    }

    private async Task CompleteUploadAsync(Uri location, IBlobPayload blob, HttpContent? content, CancellationToken cancellationToken)
    {
        var separator = string.IsNullOrEmpty(location.Query) ? '?' : '&';
        var url = new Uri(location + $"{separator}digest={Uri.EscapeDataString(blob.Digest)}");
        using var request = new HttpRequestMessage(HttpMethod.Put, url) { Content = content ?? new ByteArrayContent([]) };
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        await EnsureAsync(request, response, HttpStatusCode.Created, cancellationToken);
    }

    private async Task<long> GetAndDiscardAsync(string path, Action<HttpRequestMessage>? accept, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        accept?.Invoke(request);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        await EnsureAsync(request, response, HttpStatusCode.OK, cancellationToken);
        return await DiscardAsync(response, cancellationToken);
    }

    private static async Task<long> DiscardAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(DiscardBufferLength);
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            long total = 0;
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
                total += read;
            return total;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void AcceptManifests(HttpRequestMessage request)
    {
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(MediaTypes.OciManifest));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(MediaTypes.DockerManifest));
    }

    private Uri Location(HttpResponseMessage response)
    {
        var location = response.Headers.Location ?? throw new InvalidDataException($"{(int)response.StatusCode} without a Location header");
        return location.IsAbsoluteUri ? location : new Uri(_http.BaseAddress!, location);
    }

    private static string? NextPage(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Link", out var links))
            return null;
        foreach (var link in links)
        {
            var start = link.IndexOf('<', StringComparison.Ordinal);
            var end = link.IndexOf('>', StringComparison.Ordinal);
            if (start >= 0 && end > start && link.Contains("rel=\"next\"", StringComparison.Ordinal))
                return link[(start + 1)..end].TrimStart('/');
        }

        return null;
    }

    private static async Task EnsureAsync(HttpRequestMessage request, HttpResponseMessage response, HttpStatusCode expected, CancellationToken cancellationToken)
    {
        if (response.StatusCode == expected)
            return;
        var detail = request.Method == HttpMethod.Head ? "" : await response.Content.ReadAsStringAsync(cancellationToken);
        if (detail.Length > 300)
            detail = detail[..300];
        throw new RegistryRequestException(request.Method, request.RequestUri?.AbsolutePath ?? "?", response.StatusCode, detail);
    }
}
