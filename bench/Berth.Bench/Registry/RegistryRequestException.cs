using System.Net;

namespace Berth.Bench.Registry;

internal sealed class RegistryRequestException(HttpMethod method, string path, HttpStatusCode status, string detail)
    : Exception($"{method} {path} -> {(int)status} {status} {detail}".TrimEnd());
