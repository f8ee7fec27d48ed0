using Berth.Core.Configuration;
using Berth.Server.Notifications;

namespace Berth.Server.Tests;

/// <summary>notifications: registry:2's endpoint keys and defaults, Berth's outbox keys, and start-up errors that name the key.</summary>
public sealed class NotificationConfigurationTests
{
    [Fact]
    public void An_endpoint_gets_registry2s_defaults_and_the_outbox_sits_in_the_filesystem_root()
    {
        var options = Bind("""
            notifications:
              endpoints:
                - name: hook
                  url: http://127.0.0.1:9/hook
            """);

        var endpoint = Assert.Single(options.Endpoints);
        Assert.Equal(TimeSpan.FromSeconds(1), endpoint.Timeout);
        Assert.Equal(10, endpoint.Threshold);
        Assert.Equal(TimeSpan.FromSeconds(1), endpoint.Backoff);
        Assert.False(endpoint.Disabled);
        Assert.False(options.IncludeReferences);
        Assert.Equal(Path.Combine("/srv/registry", "berth", "notifications"), options.OutboxDirectory);
        Assert.Equal(NotificationOptions.DefaultOutboxMaxEvents, options.OutboxMaxEvents);
    }

    [Fact]
    public void Every_key_is_bound_and_both_ignored_media_type_lists_are_merged()
    {
        var options = Bind("""
            notifications:
              events:
                includereferences: true
              outbox:
                directory: /var/spool/berth
                maxevents: 50
              endpoints:
                - name: a
                  url: https://hooks.example.com/registry
                  headers:
                    Authorization: [Bearer token]
                  timeout: 500ms
                  threshold: 3
                  backoff: 5s
                  ignoredmediatypes: [application/octet-stream]
                  ignore:
                    mediatypes: [application/vnd.oci.image.index.v1+json]
                    actions: [pull, mount]
                - name: b
                  url: http://127.0.0.1:9/
                  disabled: true
            """);

        Assert.True(options.IncludeReferences);
        Assert.Equal("/var/spool/berth", options.OutboxDirectory);
        Assert.Equal(50, options.OutboxMaxEvents);
        var a = options.Endpoints[0];
        Assert.Equal(["Bearer token"], a.Headers["Authorization"]);
        Assert.Equal(TimeSpan.FromMilliseconds(500), a.Timeout);
        Assert.Equal(3, a.Threshold);
        Assert.Equal(TimeSpan.FromSeconds(5), a.Backoff);
        Assert.True(a.Ignores("push", "application/octet-stream"));
        Assert.True(a.Ignores("push", "application/vnd.oci.image.index.v1+json"));
        Assert.True(a.Ignores("mount", null));
        Assert.False(a.Ignores("push", "application/vnd.oci.image.manifest.v1+json"));
        Assert.False(a.Ignores("delete", null));
        Assert.Equal(["a"], options.Enabled.Select(e => e.Name));
    }

    [Theory]
    [InlineData("- name: a\n      url: ftp://example.com/", "notifications.endpoints[0].url")]
    [InlineData("- url: http://example.com/", "notifications.endpoints[0].name")]
    [InlineData("- name: ../up\n      url: http://example.com/", "notifications.endpoints[0].name")]
    [InlineData("- name: a\n      url: http://example.com/\n      timeout: soon", "notifications.endpoints[0].timeout")]
    [InlineData("- name: a\n      url: http://example.com/\n    - name: a\n      url: http://example.org/", "notifications.endpoints")]
    [InlineData("name: a", "notifications.endpoints")]
    public void A_bad_endpoint_fails_start_up_naming_its_key(string endpoints, string key)
    {
        var error = Assert.Throws<ConfigurationException>(() => Bind($"notifications:\n  endpoints:\n    {endpoints}\n"));
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_local_store_the_outbox_directory_is_required()
    {
        var tree = ConfigTreeReader.ReadDocument("""
            version: 0.1
            storage:
              azure:
                accountname: a
            notifications:
              endpoints:
                - name: a
                  url: http://127.0.0.1:9/
            """, "test");
        var error = Assert.Throws<ConfigurationException>(() => NotificationOptions.Bind(ConfigurationLoader.Bind(tree, "test")));
        Assert.Contains("REGISTRY_NOTIFICATIONS_OUTBOX_DIRECTORY", error.Message, StringComparison.Ordinal);
    }

    private static NotificationOptions Bind(string notifications)
    {
        var tree = ConfigTreeReader.ReadDocument($"version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: /srv/registry\n{notifications}", "test");
        return NotificationOptions.Bind(ConfigurationLoader.Bind(tree, "test"));
    }
}
