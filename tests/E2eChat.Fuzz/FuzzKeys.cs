
namespace E2eChat.Fuzz;

/// <summary>
/// The fixed account key the record targets sign with: a target signs the fuzzer's bytes as a record
/// body, so the reader's checks after the signature are reachable too (a fuzzer cannot forge one).
/// </summary>
internal static class FuzzKeys
{
    private const byte SeedByte = 0xA7;

    private static readonly Lazy<AccountKeyPair> s_account = new(() => AccountKeyPair.Import([.. Enumerable.Repeat(SeedByte, AccountKeyPair.PrivateKeyLength)]));

    /// <summary>The key pair (its private key is public knowledge: a test key).</summary>
    internal static AccountKeyPair Account => s_account.Value;
}
