using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Berth.Core.Proxy;

/// <summary>
/// One upstream registry's HTTP side: anonymous, Basic, or the bearer-token dance (401 challenge, token request for
/// the repository's pull scope, token reused until it expires), a circuit breaker, and timeouts on every request.
/// </summary>
public sealed class Upstream : IDisposable
{
    private const int MaxTokenCacheEntries = 10_000;

    private readonly HttpClient _client;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, UpstreamToken> _tokens = new(StringComparer.Ordinal);
    private readonly CircuitBreaker _breaker;
    private volatile bool _asksForBasic;

    internal Upstream(UpstreamOptions options, TimeProvider time, ProxyMetrics metrics, ILogger logger)
    {
        Options = options;
        Metrics = metrics;
        _time = time;
        _logger = logger;
        _breaker = new CircuitBreaker(options.BreakerInterval, time);
        _client = new HttpClient(new SocketsHttpHandler
        {
            ConnectTimeout = options.Timeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            // Blob GETs redirect to storage. .NET drops the Authorization header on every redirect, so the upstream's
            // credentials and tokens never reach the redirected host, and https never redirects to http.
            AllowAutoRedirect = true,
            MaxAutomaticRedirections = 5,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _client.DefaultRequestHeaders.UserAgent.ParseAdd("berth-proxy");
    }

    public UpstreamOptions Options { get; }

    public string Name => Options.Name;

    public ProxyMetrics Metrics { get; }

    internal ILogger Logger => _logger;

    /// <summary>
    /// Sends GET or HEAD for <c>/v2/&lt;remoteName&gt;/&lt;resource&gt;</c> and returns once headers arrived, with a
    /// 2xx or a 404 (the caller disposes it). Anything else throws <see cref="UpstreamUnavailableException"/>.
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string remoteName, string resource, string? accept, CancellationToken cancellationToken)
    {
        if (!_breaker.TryEnter())
        {
            throw new UpstreamUnavailableException($"upstream {Name} failed recently; it is asked again after {Options.BreakerInterval.TotalSeconds:0}s");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Options.Timeout);
        try
        {
            var response = await SendAuthorizedAsync(method, new Uri(Options.RemoteUrl, $"v2/{remoteName}/{resource}"), remoteName, accept, timeout.Token);
            var status = (int)response.StatusCode;
            if (status is >= 200 and < 300 or 404)
            {
                _breaker.RecordSuccess();
                return response;
            }

            response.Dispose();
            if (status >= 500 || status == 429)
            {
                _breaker.RecordFailure();
            }

            throw Fail($"upstream {Name} answered {status} for {remoteName}/{resource}", null);
        }
        catch (HttpRequestException e)
        {
            _breaker.RecordFailure();
            throw Fail($"upstream {Name} cannot be reached: {e.Message}", e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            _breaker.RecordFailure();
            throw Fail($"upstream {Name} did not answer within {Options.Timeout.TotalSeconds:0}s", e);
        }
    }

    /// <summary>Counts a failure seen after the headers (a stalled or cut body) and opens the breaker.</summary>
    internal void RecordBodyFailure(string reason)
    {
        _breaker.RecordFailure();
        Metrics.Error(Name);
        ProxyLog.UpstreamFailed(_logger, Name, reason);
    }

    public void Dispose() => _client.Dispose();

    private UpstreamUnavailableException Fail(string message, Exception? inner)
    {
        Metrics.Error(Name);
        ProxyLog.UpstreamFailed(_logger, Name, message);
        return new UpstreamUnavailableException(message, inner);
    }

    private async Task<HttpResponseMessage> SendAuthorizedAsync(HttpMethod method, Uri uri, string remoteName, string? accept, CancellationToken cancellationToken)
    {
        var response = await SendOnceAsync(method, uri, accept, Authorization(remoteName), cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return response;
        }

        AuthenticationHeaderValue? retry = null;
        if (BearerChallenge.From(response.Headers) is { } challenge)
        {
            var token = await RequestTokenAsync(challenge, remoteName, cancellationToken);
            retry = new AuthenticationHeaderValue("Bearer", token);
        }
        else if (BearerChallenge.IsBasic(response.Headers) && Options.HasCredentials)
        {
            _asksForBasic = true;
            retry = BasicCredentials();
        }

        if (retry is null)
        {
            return response;
        }

        response.Dispose();
        return await SendOnceAsync(method, uri, accept, retry, cancellationToken);
    }

    private async Task<HttpResponseMessage> SendOnceAsync(HttpMethod method, Uri uri, string? accept, AuthenticationHeaderValue? authorization, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, uri);
        request.Headers.Authorization = authorization;
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        return await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    private AuthenticationHeaderValue? Authorization(string remoteName)
    {
        if (_tokens.TryGetValue(remoteName, out var token) && token.Expires > _time.GetUtcNow())
        {
            return new AuthenticationHeaderValue("Bearer", token.Value);
        }

        return _asksForBasic && Options.HasCredentials ? BasicCredentials() : null;
    }

    private AuthenticationHeaderValue BasicCredentials() =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Options.Username}:{Options.Password}")));

    private async Task<string> RequestTokenAsync(BearerChallenge challenge, string remoteName, CancellationToken cancellationToken)
    {
        var realm = challenge.Realm;
        if (realm.Scheme is not ("https" or "http") || (Options.RemoteUrl.Scheme == "https" && realm.Scheme != "https") || realm.UserInfo.Length > 0)
        {
            throw Fail($"upstream {Name} named a token realm that is not an acceptable http(s) URL: {realm.GetLeftPart(UriPartial.Path)}", null);
        }

        var query = new StringBuilder(realm.Query.Length > 1 ? realm.Query[1..] + "&" : string.Empty);
        if (challenge.Service is not null)
        {
            query.Append("service=").Append(Uri.EscapeDataString(challenge.Service)).Append('&');
        }

        query.Append("scope=").Append(Uri.EscapeDataString($"repository:{remoteName}:pull"));
        using var request = new HttpRequestMessage(HttpMethod.Get, new UriBuilder(realm) { Query = query.ToString() }.Uri);
        if (Options.HasCredentials)
        {
            if (MayReceiveCredentials(realm))
            {
                request.Headers.Authorization = BasicCredentials();
            }
            else
            {
                ProxyLog.RealmNotTrusted(_logger, Name, realm.GetLeftPart(UriPartial.Path));
            }
        }

        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw Fail($"token server of upstream {Name} answered {(int)response.StatusCode}", null);
        }

        var token = await UpstreamToken.ReadAsync(response, _time.GetUtcNow(), cancellationToken)
            ?? throw Fail($"token server of upstream {Name} sent no usable token", null);
        if (_tokens.Count >= MaxTokenCacheEntries)
        {
            _tokens.Clear();
        }

        _tokens[remoteName] = token;
        return token.Value;
    }

    /// <summary>Credentials go to the upstream's own host, Docker Hub's token host, or hosts listed in tokenhosts.</summary>
    private bool MayReceiveCredentials(Uri realm) =>
        string.Equals(realm.Host, Options.RemoteUrl.Host, StringComparison.OrdinalIgnoreCase) ||
        (Options.IsDockerHub && string.Equals(realm.Host, "auth.docker.io", StringComparison.OrdinalIgnoreCase)) ||
        Options.TokenHosts.Contains(realm.Host, StringComparer.OrdinalIgnoreCase);
}
