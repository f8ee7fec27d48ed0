using Berth.Core.Names;

namespace Berth.Core.Proxy;

/// <summary>
/// A request's repository as the pull-through cache sees it: the upstream it comes from, its name there, and the
/// local repository its cached content is stored in. <see cref="Namespace"/> is set when the OCI <c>?ns=</c> query
/// selected the upstream, for the <c>OCI-Namespace</c> answer.
/// </summary>
public sealed record ProxiedRepository(Upstream Upstream, RepositoryName LocalName, string RemoteName, string? Namespace);
