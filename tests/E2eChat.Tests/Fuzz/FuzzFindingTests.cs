
namespace E2eChat.Tests.Fuzz;

/// <summary>Findings of the afl++ runs, each fixed and pinned here as well as in the replayed corpus.</summary>
public sealed class FuzzFindingTests
{
    [Fact]
    public void ContentTryRead_TwoContents_FailsWithoutAContent()
    {
        // afl++ (content target): a valid receipt followed by a second content gave MultipleContents
        // but still handed out the first content.
        byte[] receipt = Content.FromReceipt(new Receipt(ReceiptType.Read, new byte[16])).ToBytes();
        Assert.False(Content.TryRead([.. receipt, .. receipt], out Content? content, out E2eChatFailure failure));
        Assert.Equal(E2eChatFailure.MultipleContents, failure);
        Assert.Null(content);
    }

    [Fact]
    public void ContentTryRead_ContentThenBrokenTag_FailsWithoutAContent()
    {
        // afl++ (content target): a sender-key distribution record then the bytes ff ff (a tag that does not end).
        Assert.False(Content.TryRead([0x12, 0x03, 0x02, 0x00, 0xff, 0xff], out Content? content, out E2eChatFailure failure));
        Assert.NotEqual(E2eChatFailure.None, failure);
        Assert.Null(content);
    }
}
