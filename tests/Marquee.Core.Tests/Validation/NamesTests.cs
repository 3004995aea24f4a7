using Marquee.Core.Validation;

namespace Marquee.Core.Tests.Validation;

public sealed class NamesTests
{
    [Theory]
    [InlineData("anna")]
    [InlineData("Home-Plex")]
    [InlineData("plex_2")]
    [InlineData("a")]
    [InlineData("2nd.server")]
    [InlineData("4k")]
    [InlineData("a.b-c_d")]
    public void Check_ValidName_ReturnsNull(string name)
    {
        Assert.Null(Names.Check(name));
    }

    [Fact]
    public void Check_SixtyFourCharacters_IsValid()
    {
        Assert.Null(Names.Check(new string('a', 64)));
    }

    [Fact]
    public void Check_SixtyFiveCharacters_Fails()
    {
        var problem = Names.Check(new string('a', 65));

        Assert.NotNull(problem);
        Assert.Equal("name", problem.Field);
        Assert.Contains("1-64 characters", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t")]
    public void Check_Empty_FailsAsRequired(string? name)
    {
        var problem = Names.Check(name);

        Assert.NotNull(problem);
        Assert.Equal("name", problem.Field);
        Assert.Equal("'name' is required.", problem.Message);
    }

    [Theory]
    [InlineData("anna b")]
    [InlineData(" anna")]
    [InlineData("anna ")]
    [InlineData("7")]
    [InlineData("12")]
    [InlineData("2024")]
    [InlineData(".hidden")]
    [InlineData("-flag")]
    [InlineData("_private")]
    [InlineData("anna/bob")]
    [InlineData("anna:1")]
    [InlineData("ånna")]
    [InlineData("anna\n")]
    [InlineData("123\n")]
    [InlineData("anna\nbob")]
    public void Check_InvalidName_FailsNamingField(string name)
    {
        var problem = Names.Check(name);

        Assert.NotNull(problem);
        Assert.Equal("name", problem.Field);
        Assert.Contains("'name' must be", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_CustomField_NamesThatField()
    {
        var problem = Names.Check("bad name", "profile");

        Assert.NotNull(problem);
        Assert.Equal("profile", problem.Field);
        Assert.StartsWith("'profile'", problem.Message, StringComparison.Ordinal);
    }
}
