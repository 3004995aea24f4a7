namespace Marquee.Core.Providers;

/// <summary>Base of every provider's settings record. Properties carry <see cref="FieldAttribute"/>.</summary>
public abstract record ProviderSettings;
