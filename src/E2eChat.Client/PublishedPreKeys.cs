namespace E2eChat.Client;

/// <summary>The signed and last-resort KEM pre-keys the relay serves, and when they were published (0 ids before the first publication).</summary>
/// <param name="SignedPreKeyId">The current signed pre-key.</param>
/// <param name="LastResortKemPreKeyId">The current last-resort KEM pre-key.</param>
/// <param name="PublishedAtMilliseconds">When they were published (Unix milliseconds).</param>
internal readonly record struct PublishedPreKeys(uint SignedPreKeyId, uint LastResortKemPreKeyId, long PublishedAtMilliseconds)
{
    /// <summary>Whether anything was published yet.</summary>
    public bool IsEmpty => SignedPreKeyId == 0;
}
