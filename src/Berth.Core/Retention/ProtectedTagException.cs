using Berth.Core.Errors;

namespace Berth.Core.Retention;

/// <summary>
/// A write refused because it would move or delete an immutable tag. An exception rather than a result value so
/// that the write path keeps its signatures; the endpoints turn it into <see cref="Error"/>.
/// </summary>
public sealed class ProtectedTagException(RegistryError error) : Exception(error.Message)
{
    public RegistryError Error => error;
}
