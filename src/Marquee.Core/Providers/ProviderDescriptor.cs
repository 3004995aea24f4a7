namespace Marquee.Core.Providers;

/// <summary>Typed base for descriptors, so each provider validates its own settings record.</summary>
public abstract class ProviderDescriptor<TSettings> : IProviderDescriptor
    where TSettings : ProviderSettings
{
    public abstract string Kind { get; }

    public abstract string DisplayName { get; }

    public Type SettingsType => typeof(TSettings);

    public virtual ProviderCapabilities Capabilities => ProviderCapabilities.None;

    public IReadOnlyList<FieldProblem> Validate(ProviderSettings settings) => Validate((TSettings)settings);

    public IProvider Create(ProviderSettings settings, ProviderContext context) => Create((TSettings)settings, context);

    protected abstract IReadOnlyList<FieldProblem> Validate(TSettings settings);

    protected abstract IProvider Create(TSettings settings, ProviderContext context);
}
