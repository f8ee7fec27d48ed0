using System.Buffers;
using Berth.Core.Names;
using Berth.Server.Routing;
using Microsoft.AspNetCore.Http;

namespace Berth.Server.Auth;

/// <summary>What a /v2/ request needs, computed as registry:2's <c>app.go</c> does (appendAccessRecords).</summary>
internal static class AccessRecords
{
    // The characters of the repository name grammar. Checked on top of RepositoryName.TryParse: a .NET regex's '$'
    // also matches before a final "\n", so a grammar written with it would let "alice/app\n" through as a name.
    private static readonly SearchValues<char> NameCharacters = SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789._-/");

    /// <summary>What the request needs, from the route parsed once for it (<see cref="IRegistryRouteFeature"/>).</summary>
    public static IReadOnlyList<AccessRecord> For(HttpContext context)
    {
        var request = context.Request;
        var route = context.Features.Get<IRegistryRouteFeature>()?.Route;

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
        if (!IsRepositoryName(route.Name))
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
        if (route.Kind is RouteKind.UploadStart && request.Query["from"].ToString() is var from && IsRepositoryName(from))
        {
            records.Add(new AccessRecord(AccessRecord.Repository, from, "pull"));
        }

        return records;
    }

    /// <summary>True when <paramref name="name"/> is a repository name, and nothing but one, character for character.</summary>
    public static bool IsRepositoryName(string name) =>
        !name.AsSpan().ContainsAnyExcept(NameCharacters) && RepositoryName.TryParse(name, out var parsed) && parsed.Value == name;

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
