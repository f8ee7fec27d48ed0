using Berth.Core.Configuration;

namespace Berth.Storage.Azure.Tests;

public sealed class AzureDriverOptionsTests
{
    private const string Key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    [Fact]
    public void The_seed_deployments_environment_variables_alone_configure_the_driver()
    {
        // Exactly the variables of the `docker run ... registry:2` people deploy today.
        var options = BindFromEnvironment(new()
        {
            ["REGISTRY_STORAGE"] = "azure",
            ["REGISTRY_STORAGE_AZURE_ACCOUNTNAME"] = "myaccount",
            ["REGISTRY_STORAGE_AZURE_ACCOUNTKEY"] = Key,
            ["REGISTRY_STORAGE_AZURE_CONTAINER"] = "registry",
        });

        Assert.Equal("myaccount", options.AccountName);
        Assert.Equal(Key, options.AccountKey);
        Assert.Equal("registry", options.Container);
        Assert.Equal(AzureCredentialKind.SharedKey, options.Credential);
        Assert.Equal(new Uri("https://myaccount.blob.core.windows.net/"), options.ServiceUri);
        Assert.Equal(string.Empty, options.RootDirectory);
    }

    [Fact]
    public void A_2_8_realm_selects_a_sovereign_cloud_endpoint()
    {
        var options = Bind($"""
            accountname: myaccount
            accountkey: {Key}
            container: registry
            realm: core.chinacloudapi.cn
            """);

        Assert.Equal(new Uri("https://myaccount.blob.core.chinacloudapi.cn/"), options.ServiceUri);
    }

    [Fact]
    public void The_3_x_keys_bind_serviceurl_rootdirectory_and_shared_key_credentials()
    {
        var options = Bind($"""
            accountname: devstoreaccount1
            accountkey: {Key}
            container: registry
            rootdirectory: /berth/data/
            serviceurl: http://127.0.0.1:10000/devstoreaccount1
            credentials:
              type: shared_key
            """);

        Assert.Equal("berth/data", options.RootDirectory);
        Assert.Equal(new Uri("http://127.0.0.1:10000/devstoreaccount1"), options.ServiceUri);
        Assert.Equal(AzureCredentialKind.SharedKey, options.Credential);
    }

    [Fact]
    public void Client_secret_credentials_need_no_account_key()
    {
        var options = Bind("""
            accountname: myaccount
            container: registry
            credentials:
              type: client_secret
              clientid: app-id
              tenantid: tenant-id
              secret: s3cret
            """);

        Assert.Equal(AzureCredentialKind.ClientSecret, options.Credential);
        Assert.Equal(("app-id", "tenant-id", "s3cret"), (options.ClientId, options.TenantId, options.ClientSecret));
        Assert.Null(options.AccountKey);
    }

    [Fact]
    public void Default_credentials_need_only_the_account_name()
    {
        var options = Bind("""
            accountname: myaccount
            container: registry
            credentials:
              type: default_credentials
            """);

        Assert.Equal(AzureCredentialKind.DefaultCredentials, options.Credential);
    }

    [Fact]
    public void A_connection_string_replaces_account_name_and_key()
    {
        var options = Bind("""
            container: registry
            connectionstring: UseDevelopmentStorage=true
            """);

        Assert.Equal(AzureCredentialKind.ConnectionString, options.Credential);
        Assert.Equal("UseDevelopmentStorage=true", options.ConnectionString);
    }

    [Fact]
    public void AZURE_STORAGE_CONNECTION_STRING_is_used_when_the_section_names_no_credentials()
    {
        var options = Bind("container: registry", new() { ["AZURE_STORAGE_CONNECTION_STRING"] = "UseDevelopmentStorage=true" });

        Assert.Equal(AzureCredentialKind.ConnectionString, options.Credential);
        Assert.Equal("AZURE_STORAGE_CONNECTION_STRING", options.CredentialSource);
    }

    [Fact]
    public void An_account_key_in_the_section_wins_over_AZURE_STORAGE_CONNECTION_STRING()
    {
        var options = Bind($"""
            accountname: myaccount
            accountkey: {Key}
            container: registry
            """, new() { ["AZURE_STORAGE_CONNECTION_STRING"] = "UseDevelopmentStorage=true" });

        Assert.Equal(AzureCredentialKind.SharedKey, options.Credential);
    }

    [Fact]
    public void A_missing_account_name_names_the_key_and_its_variable()
    {
        var error = Assert.Throws<ConfigurationException>(() => Bind($"""
            accountkey: {Key}
            container: registry
            """));

        Assert.Contains("storage.azure.accountname", error.Message, StringComparison.Ordinal);
        Assert.Contains("REGISTRY_STORAGE_AZURE_ACCOUNTNAME", error.Message, StringComparison.Ordinal);
        Assert.Contains("is required", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("accountname: myaccount\ncontainer: registry", "storage.azure.accountkey (REGISTRY_STORAGE_AZURE_ACCOUNTKEY)")]
    [InlineData("accountname: myaccount\naccountkey: not*base64\ncontainer: registry", "storage.azure.accountkey (REGISTRY_STORAGE_AZURE_ACCOUNTKEY)")]
    [InlineData("accountname: myaccount\naccountkey: " + Key, "storage.azure.container (REGISTRY_STORAGE_AZURE_CONTAINER)")]
    [InlineData("accountname: myaccount\naccountkey: " + Key + "\ncontainer: Bad_Name", "storage.azure.container (REGISTRY_STORAGE_AZURE_CONTAINER)")]
    [InlineData("accountname: My-Account\naccountkey: " + Key + "\ncontainer: registry", "storage.azure.accountname (REGISTRY_STORAGE_AZURE_ACCOUNTNAME)")]
    [InlineData("accountname: myaccount\naccountkey: " + Key + "\ncontainer: registry\nserviceurl: not a url", "storage.azure.serviceurl (REGISTRY_STORAGE_AZURE_SERVICEURL)")]
    [InlineData("accountname: myaccount\naccountkey: " + Key + "\ncontainer: registry\nrootdirectory: a/../b", "storage.azure.rootdirectory (REGISTRY_STORAGE_AZURE_ROOTDIRECTORY)")]
    [InlineData("accountname: myaccount\ncontainer: registry\ncredentials:\n  type: password", "storage.azure.credentials.type (REGISTRY_STORAGE_AZURE_CREDENTIALS_TYPE)")]
    [InlineData("accountname: myaccount\ncontainer: registry\ncredentials:\n  type: client_secret\n  clientid: a\n  tenantid: b", "storage.azure.credentials.secret (REGISTRY_STORAGE_AZURE_CREDENTIALS_SECRET)")]
    public void A_bad_setting_fails_with_the_yaml_path_and_variable(string yaml, string expected)
    {
        var error = Assert.Throws<ConfigurationException>(() => Bind(yaml));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    private static AzureDriverOptions Bind(string azureSection, Dictionary<string, string>? environment = null)
    {
        var indented = string.Join('\n', azureSection.Split('\n').Select(line => "    " + line));
        var tree = ConfigTreeReader.ReadDocument($"version: 0.1\nstorage:\n  azure:\n{indented}\n", "test");
        var section = new ConfigSection(tree, string.Empty).GetSection("storage")!.GetSection("azure")!;
        return AzureDriverOptions.Bind(section, name => environment?.GetValueOrDefault(name));
    }

    private static AzureDriverOptions BindFromEnvironment(Dictionary<string, string> environment)
    {
        var configuration = ConfigurationLoader.Load(null, environment);
        Assert.Equal("azure", configuration.Storage.Driver);
        return AzureDriverOptions.Bind(configuration.Storage.DriverParameters, _ => null);
    }
}
