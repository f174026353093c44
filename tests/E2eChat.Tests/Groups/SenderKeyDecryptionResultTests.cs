
namespace E2eChat.Tests.Groups;

public sealed class SenderKeyDecryptionResultTests
{
    [Fact]
    public void Success_HasPlaintextNoFailure()
    {
        byte[] plaintext = [1, 2, 3];
        SenderKeyDecryptionResult result = SenderKeyDecryptionResult.Success(plaintext);
        Assert.True(result.Succeeded);
        Assert.Same(plaintext, result.Plaintext);
        Assert.Equal(E2eChatFailure.None, result.Failure);
        Assert.Equal("Decrypted (3 bytes)", result.ToString());
    }

    [Fact]
    public void Failed_HasFailureNoPlaintext()
    {
        SenderKeyDecryptionResult result = SenderKeyDecryptionResult.Failed(E2eChatFailure.Expired);
        Assert.False(result.Succeeded);
        Assert.Null(result.Plaintext);
        Assert.Equal(E2eChatFailure.Expired, result.Failure);
        Assert.Equal("Failed: Expired", result.ToString());
        Assert.Equal(result, SenderKeyDecryptionResult.Failed(E2eChatFailure.Expired));
        Assert.True(result != SenderKeyDecryptionResult.Failed(E2eChatFailure.Duplicate));
    }
}
