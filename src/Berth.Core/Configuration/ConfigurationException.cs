namespace Berth.Core.Configuration;

/// <summary>A configuration error that stops start-up; the message names the YAML path and the REGISTRY_* variable.</summary>
public sealed class ConfigurationException : Exception
{
    public ConfigurationException()
    {
    }

    public ConfigurationException(string message)
        : base(message)
    {
    }

    public ConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
