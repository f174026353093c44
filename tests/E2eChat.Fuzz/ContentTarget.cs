
namespace E2eChat.Fuzz;

/// <summary>Section 13: the inner <c>Content</c> of a decrypted message; a content that reads re-encodes to its bytes.</summary>
internal static class ContentTarget
{
    /// <summary>Runs the target.</summary>
    /// <param name="input">The fuzzer's bytes.</param>
    internal static void Run(byte[] input)
    {
        ArgumentNullException.ThrowIfNull(input);
        bool read = Content.TryRead(input, out Content? content, out E2eChatFailure failure);
        FuzzTargets.Check(read == (failure == E2eChatFailure.None) && read == (content is not null), "content: result and failure disagree");
        if (read)
        {
            FuzzTargets.Check(content!.ToBytes().AsSpan().SequenceEqual(input), $"content: a {content.Kind} content read but does not re-encode to its bytes");
            FuzzTargets.Check(Content.TryRead(content.ToBytes(), out Content? again, out _) && again.Kind == content.Kind, "content: the re-encoded content does not read back");
        }
    }
}
