using System.Collections;
using Microsoft.AspNetCore.Http;

namespace Berth.Server.Logging;

/// <summary>
/// The fields registry:2 puts on every line logged while serving a request: its id, method and URI. A query string
/// that carries a signature (<c>sig=</c>, as Azure SAS URLs do) is left out; nothing else from the query or the
/// headers is logged.
/// </summary>
internal sealed class RequestLogScope(string id, string method, string uri) : IReadOnlyList<KeyValuePair<string, object?>>
{
    public int Count => 3;

    public KeyValuePair<string, object?> this[int index] => index switch
    {
        0 => new("http.request.id", id),
        1 => new("http.request.method", method),
        2 => new("http.request.uri", uri),
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    public static RequestLogScope For(HttpContext context, string id)
    {
        var request = context.Request;
        var query = request.QueryString.Value;
        var uri = string.IsNullOrEmpty(query) || query.Contains("sig=", StringComparison.OrdinalIgnoreCase)
            ? request.PathBase.Add(request.Path).Value ?? "/"
            : request.PathBase.Add(request.Path).Value + query;
        return new RequestLogScope(id, request.Method, uri);
    }

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => $"{this[1].Value} {this[2].Value} id={id}";
}
