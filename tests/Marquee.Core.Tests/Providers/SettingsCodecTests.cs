using System.Text.Json.Nodes;
using Marquee.Core.Providers;
using Marquee.Core.Validation;

namespace Marquee.Core.Tests.Providers;

public sealed class SettingsCodecTests
{
    private readonly TestDescriptor _descriptor = new();

    [Fact]
    public void Read_ValidSettings_ReturnsTypedRecord()
    {
        var settings = Read("""{"server":"http://plex.local:32400","token":"abc","label":"Home","verifyTls":false}""");

        var typed = Assert.IsType<TestSettings>(settings);
        Assert.Equal(new Uri("http://plex.local:32400"), typed.Server);
        Assert.Equal("abc", typed.Token);
        Assert.Equal("Home", typed.Label);
        Assert.False(typed.VerifyTls);
    }

    [Fact]
    public void Read_OptionalFieldsMissing_KeepsDefaults()
    {
        var typed = Assert.IsType<TestSettings>(Read("""{"server":"http://plex.local","token":"abc"}"""));

        Assert.Null(typed.Label);
        Assert.True(typed.VerifyTls);
    }

    [Fact]
    public void Read_UnknownField_ProblemNamesIt()
    {
        var ex = Assert.Throws<ValidationException>(() => Read("""{"server":"http://plex.local","token":"abc","colour":"red"}"""));

        var problem = Assert.Single(ex.Problems);
        Assert.Equal("colour", problem.Field);
        Assert.Contains("'colour' is not a setting of test connections", problem.Message, StringComparison.Ordinal);
        Assert.Contains("server, token, verifyTls, label", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_FieldNameInWrongCase_IsUnknown()
    {
        var ex = Assert.Throws<ValidationException>(() => Read("""{"server":"http://plex.local","token":"abc","Label":"x"}"""));

        Assert.Equal("Label", Assert.Single(ex.Problems).Field);
    }

    [Fact]
    public void Read_RequiredFieldsMissing_NamesEach()
    {
        var ex = Assert.Throws<ValidationException>(() => Read("""{"label":"x"}"""));

        Assert.Equal(["server", "token"], ex.Problems.Select(p => p.Field));
        Assert.Equal("'server' is required.", ex.Problems[0].Message);
        Assert.Equal("'token' is required.", ex.Problems[1].Message);
    }

    [Theory]
    [InlineData("""{"server":"http://plex.local","token":null}""")]
    [InlineData("""{"server":"http://plex.local","token":""}""")]
    [InlineData("""{"server":"http://plex.local","token":"   "}""")]
    public void Read_RequiredFieldNullOrBlank_IsMissing(string json)
    {
        var ex = Assert.Throws<ValidationException>(() => Read(json));

        var problem = Assert.Single(ex.Problems);
        Assert.Equal("token", problem.Field);
        Assert.Contains("required", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_UnknownAndMissing_ReportsBoth()
    {
        var ex = Assert.Throws<ValidationException>(() => Read("""{"server":"http://plex.local","colour":"red"}"""));

        Assert.Equal(["colour", "token"], ex.Problems.Select(p => p.Field));
    }

    [Theory]
    [InlineData("""{"server":"http://plex.local","token":42}""", "token")]
    [InlineData("""{"server":"http://plex.local","token":"abc","label":true}""", "label")]
    [InlineData("""{"server":"http://plex.local","token":"abc","verifyTls":"yes"}""", "verifyTls")]
    [InlineData("""{"server":"http://plex.local","token":"abc","verifyTls":1}""", "verifyTls")]
    [InlineData("""{"server":123,"token":"abc"}""", "server")]
    [InlineData("""{"server":"http://plex.local","token":["a"]}""", "token")]
    public void Read_WrongType_ProblemNamesField(string json, string field)
    {
        var ex = Assert.Throws<ValidationException>(() => Read(json));

        var problem = Assert.Single(ex.Problems);
        Assert.Equal(field, problem.Field);
        Assert.Equal($"'{field}' has the wrong type or format.", problem.Message);
    }

    [Fact]
    public void Read_DescriptorRejectsValue_ReturnsDescriptorProblems()
    {
        var ex = Assert.Throws<ValidationException>(() => Read("""{"server":"ftp://plex.local","token":"abc"}"""));

        var problem = Assert.Single(ex.Problems);
        Assert.Equal("server", problem.Field);
        Assert.Contains("http or https", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_OmitsNullsAndUsesJsonNames()
    {
        var json = SettingsCodec.Write(new TestSettings { Server = new Uri("http://plex.local/"), Token = "abc" });

        Assert.Equal(["server", "token", "verifyTls"], json.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal("http://plex.local/", json["server"]!.GetValue<string>());
        Assert.Equal("abc", json["token"]!.GetValue<string>());
        Assert.True(json["verifyTls"]!.GetValue<bool>());
    }

    [Fact]
    public void Write_ThenRead_RoundTrips()
    {
        var original = new TestSettings { Server = new Uri("https://plex.local:32400/"), Token = "abc", Label = "Home", VerifyTls = false };

        var back = SettingsCodec.Read(_descriptor, SettingsCodec.Write(original));

        Assert.Equal(original, back);
    }

    [Fact]
    public void Mask_MasksOnlySecrets()
    {
        var settings = Parse("""{"server":"http://plex.local","token":"abc","label":"Home","verifyTls":true}""");

        var masked = SettingsCodec.Mask(_descriptor, settings);

        Assert.Equal(SettingsField.Mask, masked["token"]!.GetValue<string>());
        Assert.Equal("http://plex.local", masked["server"]!.GetValue<string>());
        Assert.Equal("Home", masked["label"]!.GetValue<string>());
        Assert.True(masked["verifyTls"]!.GetValue<bool>());
    }

    [Fact]
    public void Mask_DoesNotChangeInput()
    {
        var settings = Parse("""{"server":"http://plex.local","token":"abc"}""");

        SettingsCodec.Mask(_descriptor, settings);

        Assert.Equal("abc", settings["token"]!.GetValue<string>());
    }

    [Fact]
    public void Mask_SecretAbsent_AddsNothing()
    {
        var masked = SettingsCodec.Mask(_descriptor, Parse("""{"server":"http://plex.local"}"""));

        Assert.False(masked.ContainsKey("token"));
    }

    [Fact]
    public void Transform_AppliesOnlyToSecretStrings()
    {
        var settings = Parse("""{"server":"http://plex.local","token":"abc","label":"Home"}""");

        var transformed = SettingsCodec.Transform(_descriptor, settings, s => "enc:" + s);

        Assert.Equal("enc:abc", transformed["token"]!.GetValue<string>());
        Assert.Equal("Home", transformed["label"]!.GetValue<string>());
        Assert.Equal("http://plex.local", transformed["server"]!.GetValue<string>());
    }

    [Fact]
    public void KeepMaskedSecrets_MaskSentBack_KeepsStoredSecret()
    {
        var incoming = Parse($$"""{"server":"http://new.local","token":"{{SettingsField.Mask}}"}""");
        var existing = Parse("""{"server":"http://old.local","token":"stored-secret"}""");

        var merged = SettingsCodec.KeepMaskedSecrets(_descriptor, incoming, existing);

        Assert.Equal("stored-secret", merged["token"]!.GetValue<string>());
        Assert.Equal("http://new.local", merged["server"]!.GetValue<string>());
        Assert.Equal(SettingsField.Mask, incoming["token"]!.GetValue<string>());
    }

    [Fact]
    public void KeepMaskedSecrets_NewSecretSent_UsesNewSecret()
    {
        var incoming = Parse("""{"server":"http://plex.local","token":"new-secret"}""");
        var existing = Parse("""{"server":"http://plex.local","token":"stored-secret"}""");

        var merged = SettingsCodec.KeepMaskedSecrets(_descriptor, incoming, existing);

        Assert.Equal("new-secret", merged["token"]!.GetValue<string>());
    }

    [Fact]
    public void KeepMaskedSecrets_MaskInNonSecretField_IsKeptAsIs()
    {
        var incoming = Parse($$"""{"server":"http://plex.local","token":"abc","label":"{{SettingsField.Mask}}"}""");
        var existing = Parse("""{"server":"http://plex.local","token":"abc","label":"Home"}""");

        var merged = SettingsCodec.KeepMaskedSecrets(_descriptor, incoming, existing);

        Assert.Equal(SettingsField.Mask, merged["label"]!.GetValue<string>());
    }

    [Fact]
    public void KeepMaskedSecrets_MaskSentWithNothingStored_FailsNamingField()
    {
        var incoming = Parse($$"""{"server":"http://plex.local","token":"{{SettingsField.Mask}}"}""");

        var ex = Assert.Throws<ValidationException>(() => SettingsCodec.KeepMaskedSecrets(_descriptor, incoming, null));

        var problem = Assert.Single(ex.Problems);
        Assert.Equal("token", problem.Field);
        Assert.Contains("masked", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void KeepMaskedSecrets_MaskSentAndStoredSettingsLackSecret_Fails()
    {
        var incoming = Parse($$"""{"server":"http://plex.local","token":"{{SettingsField.Mask}}"}""");
        var existing = Parse("""{"server":"http://plex.local"}""");

        var ex = Assert.Throws<ValidationException>(() => SettingsCodec.KeepMaskedSecrets(_descriptor, incoming, existing));

        Assert.Equal("token", Assert.Single(ex.Problems).Field);
    }

    private ProviderSettings Read(string json) => SettingsCodec.Read(_descriptor, Parse(json));

    private static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();
}
