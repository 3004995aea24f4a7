namespace Marquee.Core.Providers;

/// <summary>The kinds of connection this build knows, registered explicitly by each provider's registration.</summary>
public sealed class ProviderRegistry(IEnumerable<IProviderDescriptor> descriptors)
{
    private readonly Dictionary<string, IProviderDescriptor> _byKind =
        descriptors.ToDictionary(d => d.Kind, StringComparer.OrdinalIgnoreCase);

    public IReadOnlyCollection<IProviderDescriptor> All => _byKind.Values;

    public IEnumerable<string> Kinds => _byKind.Keys.Order(StringComparer.Ordinal);

    public bool TryGet(string kind, out IProviderDescriptor descriptor) =>
        _byKind.TryGetValue(kind, out descriptor!);
}
