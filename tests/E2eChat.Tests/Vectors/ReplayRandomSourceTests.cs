using E2eChat.Cli.Vectors;

namespace E2eChat.Tests.Vectors;

public sealed class ReplayRandomSourceTests
{
    [Fact]
    public void Fill_RecordedBytes_HandsThemOutInOrder()
    {
        var random = new ReplayRandomSource([1, 2, 3, 4, 5]);
        byte[] first = new byte[2];
        byte[] second = new byte[3];

        random.Fill(first);
        random.Fill(second);

        Assert.Equal([1, 2], first);
        Assert.Equal([3, 4, 5], second);
        random.EnsureConsumed("x");
    }

    [Fact]
    public void Fill_BeyondRecordedBytes_ThrowsMismatch()
    {
        var random = new ReplayRandomSource([1, 2, 3]);

        Assert.Throws<VectorMismatchException>(() => random.Fill(new byte[4]));
    }

    [Fact]
    public void EnsureConsumed_BytesLeft_ThrowsMismatch()
    {
        var random = new ReplayRandomSource([1, 2, 3]);
        random.Fill(new byte[2]);

        Assert.Throws<VectorMismatchException>(() => random.EnsureConsumed("x"));
    }

    [Fact]
    public void Load_NewBytes_ReplacesThePendingOnes()
    {
        var random = new ReplayRandomSource([1, 2, 3]);
        random.Load([9]);
        byte[] one = new byte[1];

        random.Fill(one);

        Assert.Equal([9], one);
        random.EnsureConsumed("x");
    }

    [Fact]
    public void Fill_FillerMode_AnswersAnyDraw()
    {
        ReplayRandomSource random = ReplayRandomSource.Filler();
        byte[] bytes = new byte[100];

        random.Fill(bytes);

        Assert.All(bytes, b => Assert.Equal(0x5a, b));
        random.EnsureConsumed("x");
    }

    [Fact]
    public void LoadFiller_AfterStrictBytes_AnswersAnyDraw()
    {
        var random = new ReplayRandomSource([]);
        random.LoadFiller();

        random.Fill(new byte[32]);

        random.EnsureConsumed("x");
    }
}
