using Marquee.Core.Sync;

namespace Marquee.Core.Tests.Sync;

public sealed class ProgressShareTests
{
    // A ten-hour cut: a hundredth of a percent of it is 3.6 s.
    private const long Length = 36_000_000;

    [Fact]
    public void AShareWrittenFromTheBaseline_ReadsBackAsTheBaselinesPosition_ThoughItIsMoreThanASecondOff()
    {
        const long Written = 14_815_750;
        var share = ProgressShare.Of(Written, Length);

        Assert.Equal(41.15, share);
        Assert.True(Math.Abs((share * Length / 100) - Written) > 1_000);
        Assert.Equal(Written, ProgressShare.Position(share, Length, Written));
    }

    [Fact]
    public void AnotherShare_IsItsShareOfTheLength_AndNoLengthGivesNoPosition()
    {
        Assert.Equal(14_821_200, ProgressShare.Position(41.17, Length, 14_815_750));
        Assert.Equal(10_800_000, ProgressShare.Position(30, Length, null));
        Assert.Null(ProgressShare.Position(30, null, 14_815_750));
        Assert.Null(ProgressShare.Position(30, 0, null));
    }
}
