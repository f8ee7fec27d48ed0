using System.Text.RegularExpressions;
using Azure.Core.Pipeline;
using Berth.Core.Configuration;
using Berth.Core.Storage;

namespace Berth.Storage.Azure;

/// <summary>
/// The <c>storage.azure</c> section. registry:2 2.8's keys (accountname, accountkey, container, realm) work alone;
/// 3.x's (rootdirectory, serviceurl, credentials.*) and a connection string are accepted as well.
/// </summary>
public sealed partial class AzureDriverOptions
{
    public const string DefaultRealm = "core.windows.net";

    /// <summary>The variable Azure tooling uses to carry a connection string; read when the section names no credentials.</summary>
    public const string ConnectionStringVariable = "AZURE_STORAGE_CONNECTION_STRING";

    public string? AccountName { get; init; }

    public string? AccountKey { get; init; }

    public required string Container { get; init; }

    public string Realm { get; init; } = DefaultRealm;

    /// <summary>Blob-name prefix without leading or trailing '/'; empty for none.</summary>
    public string RootDirectory { get; init; } = string.Empty;

    /// <summary>The blob service endpoint; null only with a connection string, which carries its own.</summary>
    public Uri? ServiceUri { get; init; }

    public AzureCredentialKind Credential { get; init; }

    public string? TenantId { get; init; }

    public string? ClientId { get; init; }

    public string? ClientSecret { get; init; }

    public string? ConnectionString { get; init; }

    /// <summary>Where the credentials came from, for start-up messages: "storage.azure.accountkey (REGISTRY_STORAGE_AZURE_ACCOUNTKEY)".</summary>
    public string CredentialSource { get; init; } = string.Empty;

    /// <summary>registry:2 signs redirect URLs for 20 minutes.</summary>
    internal TimeSpan RedirectLifetime { get; init; } = TimeSpan.FromMinutes(20);

    /// <summary>Small writes are coalesced into blocks of this size; one pooled buffer of it per open writer.</summary>
    internal int BlockSize { get; init; } = 8 * 1024 * 1024;

    /// <summary>
    /// Once an upload has this many committed blocks, a resumed writer folds the small last block into its next one,
    /// so uploads sent in small chunks stay under Azure's 50,000-block limit without costing small uploads a re-read.
    /// </summary>
    internal int CompactAfterBlocks { get; init; } = 1000;

    /// <summary>Extra pipeline policies, run once per attempt; tests count the requests the driver makes with one.</summary>
    internal IReadOnlyList<HttpPipelinePolicy> ExtraPolicies { get; init; } = [];

    public static AzureDriverOptions Bind(ConfigSection section, Func<string, string?> environment)
    {
        var accountName = Text(section, "accountname");
        var accountKey = Text(section, "accountkey");
        var connectionString = Text(section, "connectionstring");
        var container = Text(section, "container");
        var realm = Text(section, "realm") ?? DefaultRealm;
        var rootDirectory = BindRootDirectory(section);
        var serviceUrl = Text(section, "serviceurl");
        var credentials = section.GetSection("credentials");
        var type = credentials is null ? null : Text(credentials, "type");

        AzureCredentialKind kind;
        string source;
        string? tenantId = null, clientId = null, secret = null;
        switch (type?.ToLowerInvariant())
        {
            case "shared_key":
                kind = AzureCredentialKind.SharedKey;
                source = section.Describe("accountkey");
                if (accountKey is null)
                {
                    throw section.Error("accountkey", "is required when credentials.type is shared_key");
                }

                break;
            case "client_secret":
                kind = AzureCredentialKind.ClientSecret;
                source = credentials!.Describe("clientid");
                clientId = credentials.GetRequiredString("clientid");
                tenantId = credentials.GetRequiredString("tenantid");
                secret = credentials.GetRequiredString("secret");
                break;
            case "default_credentials":
                kind = AzureCredentialKind.DefaultCredentials;
                source = credentials!.Describe("type");
                break;
            case null:
                if (connectionString is null && accountKey is null && environment(ConnectionStringVariable) is { Length: > 0 } fromEnvironment)
                {
                    connectionString = fromEnvironment;
                    source = ConnectionStringVariable;
                }
                else
                {
                    source = connectionString is not null ? section.Describe("connectionstring") : section.Describe("accountkey");
                }

                kind = connectionString is not null ? AzureCredentialKind.ConnectionString : AzureCredentialKind.SharedKey;
                break;
            default:
                throw credentials!.Error("type", $"'{type}' is not one of shared_key, client_secret, default_credentials");
        }

        if (kind != AzureCredentialKind.ConnectionString)
        {
            if (accountName is null)
            {
                throw section.Error("accountname", "is required");
            }

            if (!AccountNamePattern().IsMatch(accountName))
            {
                throw section.Error("accountname", $"'{accountName}' is not a storage account name (3-24 lowercase letters and digits)");
            }
        }

        if (kind == AzureCredentialKind.SharedKey)
        {
            if (accountKey is null)
            {
                throw section.Error(
                    "accountkey",
                    $"is required unless {section.KeyPath("credentials.type")} is client_secret or default_credentials, or a connection string is given");
            }

            if (!Convert.TryFromBase64String(accountKey, new byte[accountKey.Length], out _))
            {
                throw section.Error("accountkey", "is not valid base64; copy key1 or key2 from the storage account's access keys");
            }
        }

        if (container is null)
        {
            throw section.Error("container", "is required");
        }

        if (!ContainerNamePattern().IsMatch(container) || container.Contains("--", StringComparison.Ordinal))
        {
            throw section.Error("container", $"'{container}' is not a container name (3-63 lowercase letters, digits and single hyphens)");
        }

        Uri? serviceUri = null;
        if (serviceUrl is not null)
        {
            if (!Uri.TryCreate(serviceUrl, UriKind.Absolute, out serviceUri) || serviceUri.Scheme is not ("http" or "https"))
            {
                throw section.Error("serviceurl", $"'{serviceUrl}' is not an absolute http or https URL");
            }
        }
        else if (kind != AzureCredentialKind.ConnectionString)
        {
            if (Uri.CheckHostName($"{accountName}.blob.{realm}") != UriHostNameType.Dns)
            {
                throw section.Error("realm", $"'{realm}' is not a DNS suffix such as core.windows.net");
            }

            serviceUri = new Uri($"https://{accountName}.blob.{realm}/");
        }

        return new AzureDriverOptions
        {
            AccountName = accountName,
            AccountKey = kind == AzureCredentialKind.SharedKey ? accountKey : null,
            Container = container,
            Realm = realm,
            RootDirectory = rootDirectory,
            ServiceUri = serviceUri,
            Credential = kind,
            TenantId = tenantId,
            ClientId = clientId,
            ClientSecret = secret,
            ConnectionString = kind == AzureCredentialKind.ConnectionString ? connectionString : null,
            CredentialSource = source,
        };
    }

    /// <summary>A readable "where" for messages: the endpoint and container, never a secret.</summary>
    public string Describe() => $"container '{Container}' at {ServiceUri?.ToString() ?? $"the endpoint in {CredentialSource}"}";

    private static string BindRootDirectory(ConfigSection section)
    {
        var text = Text(section, "rootdirectory");
        var trimmed = text?.Trim('/') ?? string.Empty;
        if (trimmed.Length > 0 && !StoragePath.IsValid("/" + trimmed))
        {
            throw section.Error("rootdirectory", $"'{text}' is not a path of plain names separated by '/'");
        }

        return trimmed;
    }

    private static string? Text(ConfigSection section, string key) =>
        section.GetString(key) is { Length: > 0 } value ? value : null;

    [GeneratedRegex(@"^[a-z0-9]{3,24}\z")]
    private static partial Regex AccountNamePattern();

    [GeneratedRegex(@"^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]\z")]
    private static partial Regex ContainerNamePattern();
}
