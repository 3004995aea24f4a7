using Marquee.Core.Providers;

namespace Marquee.Core.Tests.Providers;

internal sealed class TestDescriptor : ProviderDescriptor<TestSettings>
{
    public override string Kind => "test";

    public override string DisplayName => "Test";

    protected override IReadOnlyList<FieldProblem> Validate(TestSettings settings) =>
        settings.Server.IsAbsoluteUri && settings.Server.Scheme is "http" or "https"
            ? []
            : [new FieldProblem("server", "'server' must be an http or https URL.")];

    protected override IProvider Create(TestSettings settings, ProviderContext context) =>
        throw new NotSupportedException();
}
