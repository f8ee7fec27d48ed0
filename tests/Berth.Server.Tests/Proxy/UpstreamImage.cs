using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Berth.Server.Tests.Proxy;

/// <summary>An OCI image a <see cref="ScriptedUpstream"/> serves: a config, layers and the manifest naming them.</summary>
internal sealed record UpstreamImage(string Repository, string Tag, byte[] Manifest, string Digest, IReadOnlyDictionary<string, byte[]> Blobs)
{
    public const string MediaType = "application/vnd.oci.image.manifest.v1+json";

    public static string Sha256(byte[] content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));

    public static UpstreamImage Create(string repository, string tag, string configText, params byte[][] layers)
    {
        var config = Encoding.UTF8.GetBytes(configText);
        var blobs = new Dictionary<string, byte[]> { [Sha256(config)] = config };
        var layerJson = new List<string>();
        foreach (var layer in layers)
        {
            blobs[Sha256(layer)] = layer;
            layerJson.Add($$"""{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"{{Sha256(layer)}}","size":{{layer.Length}}}""");
        }

        var manifest = Encoding.UTF8.GetBytes($$"""{"schemaVersion":2,"mediaType":"{{MediaType}}","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{Sha256(config)}}","size":{{config.Length}}},"layers":[{{string.Join(",", layerJson)}}]}""");
        return new UpstreamImage(repository, tag, manifest, Sha256(manifest), blobs);
    }

    /// <summary>Answers GET/HEAD for this image's manifest (by tag or digest) and blobs; false when the path is not one.</summary>
    public async Task<bool> TryServeAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? string.Empty;
        byte[]? body = null;
        string contentType = "application/octet-stream";
        if (path == $"/v2/{Repository}/manifests/{Tag}" || path == $"/v2/{Repository}/manifests/{Digest}")
        {
            body = Manifest;
            contentType = MediaType;
            context.Response.Headers["Docker-Content-Digest"] = Digest;
        }
        else if (path.StartsWith($"/v2/{Repository}/blobs/", StringComparison.Ordinal) && Blobs.TryGetValue(path[$"/v2/{Repository}/blobs/".Length..], out var blob))
        {
            body = blob;
        }

        if (body is null)
        {
            return false;
        }

        context.Response.ContentType = contentType;
        context.Response.ContentLength = body.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.Body.WriteAsync(body);
        }

        return true;
    }

    public static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }
}
