using Marquee.Core.Providers;

namespace Marquee.Core.Tests.Providers;

internal sealed record TestSettings : ProviderSettings
{
    [Field(0, "Server", Kind = FieldKind.Url)]
    public required Uri Server { get; init; }

    [Field(1, "Token", Kind = FieldKind.Password, Secret = true)]
    public required string Token { get; init; }

    [Field(3, "Label", Advanced = true, HelpText = "Shown in lists.")]
    public string? Label { get; init; }

    // Declared after Label but ordered before it, so Describe must sort by order.
    [Field(2, "Verify TLS", Kind = FieldKind.Checkbox)]
    public bool VerifyTls { get; init; } = true;
}
