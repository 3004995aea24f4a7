using Marquee.Core.Providers;

namespace Marquee.Core.Tests.Providers;

public sealed class SettingsFieldTests
{
    private readonly IReadOnlyList<SettingsField> _fields = SettingsField.Describe(typeof(TestSettings));

    [Fact]
    public void Describe_ListsAnnotatedPropertiesByOrderWithJsonNames()
    {
        Assert.Equal(["server", "token", "verifyTls", "label"], _fields.Select(f => f.Name));
        Assert.Equal([0, 1, 2, 3], _fields.Select(f => f.Order));
    }

    [Fact]
    public void Describe_MarksOnlySecretFieldsSecret()
    {
        Assert.Equal(["token"], _fields.Where(f => f.Secret).Select(f => f.Name));
    }

    [Fact]
    public void Describe_MarksRequiredMembersRequired()
    {
        Assert.Equal(["server", "token"], _fields.Where(f => f.Required).Select(f => f.Name));
    }

    [Theory]
    [InlineData("server", "string")]
    [InlineData("token", "string")]
    [InlineData("verifyTls", "boolean")]
    [InlineData("label", "string?")]
    public void Describe_GivesValueType(string name, string valueType)
    {
        Assert.Equal(valueType, _fields.Single(f => f.Name == name).ValueType);
    }

    [Fact]
    public void Describe_CopiesAttributeDetails()
    {
        var server = _fields.Single(f => f.Name == "server");
        var token = _fields.Single(f => f.Name == "token");
        var verify = _fields.Single(f => f.Name == "verifyTls");
        var label = _fields.Single(f => f.Name == "label");

        Assert.Equal(("Server", FieldKind.Url, false), (server.Label, server.Kind, server.Advanced));
        Assert.Equal(("Token", FieldKind.Password), (token.Label, token.Kind));
        Assert.Equal(("Verify TLS", FieldKind.Checkbox), (verify.Label, verify.Kind));
        Assert.Equal(("Label", FieldKind.Text, true, "Shown in lists."), (label.Label, label.Kind, label.Advanced, label.HelpText));
        Assert.Null(server.HelpText);
    }

    [Fact]
    public void Describe_NullableValueType_IsOptionalType()
    {
        var fields = SettingsField.Describe(typeof(NumberSettings));

        Assert.Equal(["integer?", "number", "boolean?"], fields.Select(f => f.ValueType));
        Assert.All(fields, f => Assert.False(f.Required));
    }

    private sealed record NumberSettings : ProviderSettings
    {
        [Field(0, "Port")]
        public int? Port { get; init; }

        [Field(1, "Ratio")]
        public double Ratio { get; init; }

        [Field(2, "Flag")]
        public bool? Flag { get; init; }
    }
}
