namespace Marquee.Core.Providers;

/// <summary>
/// Typed base for descriptors, so each provider validates its own settings record. A descriptor that creates
/// <see cref="IProvider"/> only offers no capabilities; <see cref="ProviderDescriptor{TSettings, TProvider}"/> names
/// its provider type, and its capabilities are read from that type.
/// </summary>
public abstract class ProviderDescriptor<TSettings> : IProviderDescriptor
    where TSettings : ProviderSettings
{
    private ProviderCapabilities? _capabilities;

    public abstract string Kind { get; }

    public abstract string DisplayName { get; }

    public Type SettingsType => typeof(TSettings);

    public virtual Type ProviderType => typeof(IProvider);

    /// <summary>Gets the flags of the interfaces <see cref="ProviderType"/> implements, with <see cref="Facts"/>.</summary>
    public ProviderCapabilities Capabilities => _capabilities ??= ProviderCapabilities.Of(ProviderType, Facts);

    /// <summary>Gets what no interface can say about this kind (backdating, page size); none by default.</summary>
    protected virtual ProviderFacts Facts => ProviderFacts.Default;

    public IReadOnlyList<FieldProblem> Validate(ProviderSettings settings) => Validate((TSettings)settings);

    public IProvider Create(ProviderSettings settings, ProviderContext context) => Create((TSettings)settings, context);

    protected abstract IReadOnlyList<FieldProblem> Validate(TSettings settings);

    protected abstract IProvider Create(TSettings settings, ProviderContext context);
}

/// <summary>A descriptor whose providers are of one type, <typeparamref name="TProvider"/>, which declares the kind's capabilities.</summary>
public abstract class ProviderDescriptor<TSettings, TProvider> : ProviderDescriptor<TSettings>
    where TSettings : ProviderSettings
    where TProvider : class, IProvider
{
    public sealed override Type ProviderType => typeof(TProvider);

    protected sealed override IProvider Create(TSettings settings, ProviderContext context) => CreateProvider(settings, context);

    protected abstract TProvider CreateProvider(TSettings settings, ProviderContext context);
}
