using Marquee.Core.Notifications;
using Marquee.Core.Validation;

namespace Marquee.Core.Tests.Notifications;

public sealed class NotificationConditionTests
{
    private static readonly Dictionary<string, object?> Episode = new(StringComparer.Ordinal)
    {
        ["user"] = "Anna",
        ["media_type"] = "episode",
        ["library"] = "TV Shows",
        ["progress"] = 62,
        ["player"] = null,
    };

    [Theory]
    [InlineData("user is anna", true)]
    [InlineData("user is not anna", false)]
    [InlineData("media_type is movie", false)]
    [InlineData("library is not Kids", true)]
    [InlineData("library is \"TV Shows\"", true)]
    [InlineData("library contains tv", true)]
    [InlineData("library does not contain tv", false)]
    [InlineData("progress greater than 50", true)]
    [InlineData("progress less than 50", false)]
    [InlineData("player is TV", false)]
    [InlineData("player is not TV", true)]
    [InlineData("player greater than 1", false)]
    [InlineData("media_type is movie or user is anna and progress greater than 60", true)]
    [InlineData("media_type is movie or user is anna and progress greater than 70", false)]
    [InlineData("user IS anna AND media_type is episode", true)]
    public void Conditions_Hold_AsWritten(string condition, bool holds) =>
        Assert.Equal(holds, NotificationCondition.Parse(condition).Matches(Episode));

    [Theory]
    [InlineData("", "empty")]
    [InlineData("usr is anna", "Unknown field 'usr'")]
    [InlineData("user equals anna", "Unknown operator after 'user' ('equals')")]
    [InlineData("user is", "'user is' needs a value")]
    [InlineData("progress greater than half", "needs a number, not 'half'")]
    [InlineData("user is anna and", "a term (FIELD is VALUE) is missing")]
    [InlineData("user is anna but media_type is movie", "Expected 'and' or 'or'")]
    [InlineData("library is \"TV Shows", "is not closed")]
    public void BadConditions_AreRejected_NamingWhatIsWrong(string condition, string reason)
    {
        var error = Assert.Throws<ValidationException>(() => NotificationCondition.Parse(condition));
        var problem = Assert.Single(error.Problems);
        Assert.Equal("condition", problem.Field);
        Assert.Contains(reason, problem.Message, StringComparison.Ordinal);
    }
}
