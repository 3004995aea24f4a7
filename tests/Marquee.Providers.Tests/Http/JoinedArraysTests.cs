using Marquee.Providers.Http;

namespace Marquee.Providers.Tests.Http;

public sealed class JoinedArraysTests
{
    [Fact]
    public void AnArray_IsAMultipleOfTheStep_AtLeastAsLargeAsAsked()
    {
        var arrays = new JoinedArrays(kept: 2);

        Assert.Equal(JoinedArrays.Step, arrays.Rent(1).Length);
        Assert.Equal(JoinedArrays.Step, arrays.Rent(JoinedArrays.Step).Length);
        Assert.Equal(9 * JoinedArrays.Step, arrays.Rent((8 * JoinedArrays.Step) + 1).Length);
    }

    [Fact]
    public void Clear_LetsGoOfEveryKeptArray_TheNextRentMakesItsOwn()
    {
        var arrays = new JoinedArrays(kept: 2);
        var (one, two) = (arrays.Rent(JoinedArrays.Step), arrays.Rent(3 * JoinedArrays.Step));
        arrays.Return(one);
        arrays.Return(two);
        Assert.Equal(4 * JoinedArrays.Step, arrays.KeptBytes);

        Assert.Equal(4 * JoinedArrays.Step, arrays.Clear());

        Assert.Equal(0, arrays.KeptBytes);
        var next = arrays.Rent(100);
        Assert.NotSame(one, next);
        Assert.NotSame(two, next);
        Assert.Equal(0, arrays.Clear());
    }

    [Fact]
    public void AReturnedArray_IsRentedAgain_TheSmallestThatFits()
    {
        var arrays = new JoinedArrays(kept: 2);
        var small = arrays.Rent(JoinedArrays.Step);
        var large = arrays.Rent(8 * JoinedArrays.Step);
        arrays.Return(large);
        arrays.Return(small);

        Assert.Same(small, arrays.Rent(100));
        Assert.Same(large, arrays.Rent(100));
        Assert.NotSame(large, arrays.Rent(100));
    }

    [Fact]
    public void PagesOfEverySize_LeaveAtMostTwoArraysKept_TheLargest()
    {
        var arrays = new JoinedArrays(kept: 2);
        var sizes = new[] { 300_000, 600_000, 1_200_000, 2_500_000, 700_000, 1_100_000 };
        var largest = 0L;
        foreach (var size in sizes)
        {
            // Two pages at once, as a run reads both servers.
            var (one, two) = (arrays.Rent(size), arrays.Rent(size - 1));
            largest = Math.Max(largest, one.Length);
            arrays.Return(one);
            arrays.Return(two);
        }

        Assert.Equal(2 * largest, arrays.KeptBytes);
        Assert.Equal(2 * 20 * JoinedArrays.Step, arrays.KeptBytes);
    }

    [Fact]
    public void ALargerArray_TakesTheSmallestKeptPlace_ASmallerOneIsLetGo()
    {
        var arrays = new JoinedArrays(kept: 2);
        var (a, b, c) = (arrays.Rent(JoinedArrays.Step), arrays.Rent(2 * JoinedArrays.Step), arrays.Rent(3 * JoinedArrays.Step));
        arrays.Return(a);
        arrays.Return(b);
        arrays.Return(c);

        Assert.Equal(5L * JoinedArrays.Step, arrays.KeptBytes);
        arrays.Return(new byte[JoinedArrays.Step]);
        Assert.Equal(5L * JoinedArrays.Step, arrays.KeptBytes);
    }
}
