using System.Text.Json;
using Berth.Core.Digests;
using Berth.Core.Manifests;
using Berth.Core.Names;
using Berth.Server.Errors;
using Berth.Server.Hosting;
using Microsoft.AspNetCore.Http;

namespace Berth.Server.Endpoints;

internal static class ReferrerEndpoints
{
    public static async Task<IResult> ListAsync(HttpContext context, RegistryServices registry, RepositoryName name, string reference)
    {
        if (!Digest.TryParse(reference, out var subject))
        {
            return Problems.DigestInvalid(reference);
        }

        var artifactType = context.Request.Query["artifactType"].ToString();
        var filter = artifactType.Length > 0 ? artifactType : null;
        var referrers = await registry.Referrers.ListAsync(name, subject, filter, context.RequestAborted);
        if (filter is not null)
        {
            // distribution-spec: "the registry MUST set OCI-Filters-Applied: artifactType" when it filtered.
            context.Response.Headers[RegistryHeaders.OciFiltersApplied] = "artifactType";
        }

        // distribution-spec: an unknown subject still gets 200 and an empty index, never 404.
        return TypedResults.Bytes(WriteIndex(referrers), MediaTypes.OciIndex);
    }

    private static byte[] WriteIndex(IReadOnlyList<Descriptor> referrers)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("schemaVersion", 2);
            json.WriteString("mediaType", MediaTypes.OciIndex);
            json.WriteStartArray("manifests");
            foreach (var referrer in referrers)
            {
                json.WriteStartObject();
                json.WriteString("mediaType", referrer.MediaType);
                json.WriteString("digest", referrer.Digest.Value);
                json.WriteNumber("size", referrer.Size);
                if (referrer.ArtifactType is not null)
                {
                    json.WriteString("artifactType", referrer.ArtifactType);
                }

                if (referrer.Annotations is { Count: > 0 } annotations)
                {
                    json.WriteStartObject("annotations");
                    foreach (var (key, value) in annotations)
                    {
                        json.WriteString(key, value);
                    }

                    json.WriteEndObject();
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
