using E2eChat.Cli.Vectors;
using E2eChat.Crypto;

namespace E2eChat.Tests.Vectors;

public sealed class RecordingRandomSourceTests
{
    [Fact]
    public void TakeRecorded_AfterDraws_ReturnsTheInnerStreamInOrderAndClears()
    {
        using var expected = new DeterministicRandomSource(new byte[32]);
        using var inner = new DeterministicRandomSource(new byte[32]);
        var recording = new RecordingRandomSource(inner);
        byte[] a = new byte[24];
        byte[] b = new byte[32];

        recording.Fill(a);
        recording.Fill(b);

        byte[] stream = new byte[56];
        expected.Fill(stream);
        Assert.Equal(stream, recording.TakeRecorded());
        Assert.Equal(stream, a.Concat(b).ToArray());
        Assert.Empty(recording.TakeRecorded());
    }
}
