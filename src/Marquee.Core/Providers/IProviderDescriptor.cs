namespace Marquee.Core.Providers;

/// <summary>Describes one kind of connection: its settings, how to validate them and how to create a provider for them.</summary>
public interface IProviderDescriptor
{
    /// <summary>Gets the stable kind name used in the CLI, the API and the store, for example <c>plex</c>.</summary>
    string Kind { get; }

    string DisplayName { get; }

    Type SettingsType { get; }

    /// <summary>Gets the type of the providers <see cref="Create"/> returns; its capability interfaces are the kind's capabilities.</summary>
    Type ProviderType { get; }

    /// <summary>Gets the capabilities a provider of this kind offers, for flows to check against; derived from <see cref="ProviderType"/>.</summary>
    ProviderCapabilities Capabilities { get; }

    /// <summary>Returns problems with the settings, each tied to a field; empty when they are valid.</summary>
    IReadOnlyList<FieldProblem> Validate(ProviderSettings settings);

    /// <summary>Creates a provider bound to one connection's settings.</summary>
    IProvider Create(ProviderSettings settings, ProviderContext context);
}
