namespace Berth.Storage.Azure;

/// <summary>How the driver authenticates: registry:2 3.x's <c>credentials.type</c>, plus a connection string.</summary>
public enum AzureCredentialKind
{
    /// <summary><c>accountkey</c>, the only way registry:2 2.8 knows.</summary>
    SharedKey,

    /// <summary>An Entra ID application: <c>credentials.clientid</c>, <c>tenantid</c>, <c>secret</c>.</summary>
    ClientSecret,

    /// <summary>Azure.Identity's DefaultAzureCredential: managed identity, workload identity, environment.</summary>
    DefaultCredentials,

    /// <summary><c>connectionstring</c> or the <c>AZURE_STORAGE_CONNECTION_STRING</c> variable.</summary>
    ConnectionString,
}
