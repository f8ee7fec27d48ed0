using Berth.Core.Names;
using Berth.Server.Routing;
using Microsoft.AspNetCore.Http;

namespace Berth.Server.Auth;

/// <summary>What a /v2/ request needs, computed as registry:2's <c>app.go</c> does (appendAccessRecords).</summary>
internal static class AccessRecords
{
    public static IReadOnlyList<AccessRecord> For(HttpRequest request)
    {
        var path = request.Path.Value ?? string.Empty;
        var rest = path.Length > 3 ? path[3..].TrimStart('/') : string.Empty;
        var route = RegistryRoute.Parse(rest);

        // GET /v2/ (and anything that is no registry resource) needs an identity and nothing more.
        if (route is null || route.Kind is RouteKind.Base)
        {
            return [];
        }

        if (route.Kind is RouteKind.Catalog)
        {
            return [new AccessRecord("registry", "catalog", "*")];
        }

        // An invalid name gets NAME_INVALID from the dispatcher once the caller is known; it never names a
        // resource, and never reaches a challenge header unvalidated.
        if (!RepositoryName.TryParse(route.Name, out _))
        {
            return [];
        }

        var records = new List<AccessRecord>(3);
        var method = request.Method;
        if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method))
        {
            records.Add(new AccessRecord(AccessRecord.Repository, route.Name, "pull"));
        }
        else if (HttpMethods.IsPost(method) || HttpMethods.IsPut(method) || HttpMethods.IsPatch(method))
        {
            records.Add(new AccessRecord(AccessRecord.Repository, route.Name, "pull"));
            records.Add(new AccessRecord(AccessRecord.Repository, route.Name, "push"));
        }
        else if (HttpMethods.IsDelete(method))
        {
            records.Add(new AccessRecord(AccessRecord.Repository, route.Name, "delete"));
        }

        // A cross-repository mount reads the source repository: without this, push rights on one repository
        // would let a client copy any blob out of every other.
        if (route.Kind is RouteKind.UploadStart && RepositoryName.TryParse(request.Query["from"].ToString(), out var from))
        {
            records.Add(new AccessRecord(AccessRecord.Repository, from.Value, "pull"));
        }

        return records;
    }

    /// <summary>registry:2's scope parameter: <c>repository:a:pull,push repository:b:pull</c>, actions sorted.</summary>
    public static string Scope(IReadOnlyList<AccessRecord> records)
    {
        var resources = new List<(string Type, string Name, SortedSet<string> Actions)>();
        foreach (var record in records)
        {
            var index = resources.FindIndex(r => r.Type == record.Type && r.Name == record.Name);
            if (index < 0)
            {
                resources.Add((record.Type, record.Name, new SortedSet<string>(StringComparer.Ordinal) { record.Action }));
            }
            else
            {
                resources[index].Actions.Add(record.Action);
            }
        }

        return string.Join(' ', resources.Select(r => $"{r.Type}:{r.Name}:{string.Join(',', r.Actions)}"));
    }
}
