using Marquee.Core.Notifications;
using Marquee.Core.Webhooks;

namespace Marquee.Core.Tests.Notifications;

public sealed class NotificationVariablesTests
{
    [Theory]
    [InlineData("21458372", "bob", "bob")]
    [InlineData("21458372", null, "21458372")]
    [InlineData("*", null, "Someone")]
    public void User_IsTheAccountsName_ElseItsId_AndAPlaybackOfNoKnownAccountIsSomeone(string accountId, string? accountName, string user)
    {
        var e = new LiveEvent("plex", LiveEventOrigin.History, "server", accountId, accountName, "1008", null, "movie", LiveEventKind.Watched, null, DateTimeOffset.UnixEpoch);

        Assert.Equal(user, NotificationVariables.From(e, NotificationTriggers.Finished)["user"]);
    }
}
