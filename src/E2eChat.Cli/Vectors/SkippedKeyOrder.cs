using static E2eChat.Cli.Vectors.RatchetParty;

namespace E2eChat.Cli.Vectors;

/// <summary>
/// <c>ratchet.json</c>, <c>transcript_skipped_key_eviction_across_chains</c> (PROTOCOL.md 5.5,
/// "Skipped keys"): one new-chain decryption stores the previous chain's keys <c>Nr .. pn-1</c>
/// before the new chain's <c>0 .. n-1</c>; 2001 keys in all evict exactly the first stored, the
/// previous chain's oldest, and keep the new chain's first.
/// </summary>
internal static class SkippedKeyOrder
{
    /// <summary>The script.</summary>
    internal static void Script(TranscriptRecorder t)
    {
        t.Deliver(Alice, "a0", VectorBytes.Text("delivered"));
        t.Encrypt(Alice, "a1", VectorBytes.Text("skipped, first stored: evicted"));
        t.Encrypt(Alice, "a2", VectorBytes.Text("skipped, second stored: kept"));
        t.Skip(Alice, 998); // a3 .. a1000: pn = 1001, Bob stores 1 .. 1000 (1000 keys)
        t.Deliver(Bob, "b0", VectorBytes.Text("reply"));
        t.Encrypt(Alice, "c0", VectorBytes.Text("new chain, skipped: kept"));
        t.Skip(Alice, 1000); // c1 .. c1000
        t.Deliver(Alice, "c1001", VectorBytes.Text("n = 1001: stores 0 .. 1000 (1001 keys), 2001 in all"));
        t.DecryptFail(Bob, "a1", E2eChatFailure.Duplicate);
        t.Decrypt(Bob, "a2");
        t.Decrypt(Bob, "c0");
    }
}
