namespace E2eChat.Cli.Vectors;

/// <summary>
/// The parties of a trust vector (PROTOCOL.md 8.1), drawn in this order: Alice's identity, Bob's
/// identity and pre-keys, and a second identity (Mallory's) that the application may trust for Bob's
/// address instead.
/// </summary>
internal sealed class TrustParties
{
    private TrustParties(PartyKeys alice, byte[] bundle, byte[] bobIdentity, byte[] malloryIdentity)
    {
        Alice = alice;
        Bundle = bundle;
        BobIdentity = bobIdentity;
        MalloryIdentity = malloryIdentity;
    }

    /// <summary>Alice's key inputs.</summary>
    internal PartyKeys Alice { get; }

    /// <summary>Bob's bundle (protobuf bytes; it verifies).</summary>
    internal byte[] Bundle { get; }

    /// <summary>Bob's identity (128 bytes).</summary>
    internal byte[] BobIdentity { get; }

    /// <summary>Mallory's identity (128 bytes).</summary>
    internal byte[] MalloryIdentity { get; }

    /// <summary>Draws the parties from <paramref name="random"/>, Bob with the given pre-key ids and a last-resort KEM pre-key.</summary>
    internal static TrustParties Draw(RandomSource random, uint signedPreKeyId, uint oneTimePreKeyId, uint kemPreKeyId)
    {
        PartyKeys alice = PartyKeys.DrawIdentity(random);
        PartyKeys bob = PartyKeys.DrawWithPreKeys(random, signedPreKeyId, oneTimePreKeyId, kemPreKeyId, kemLastResort: true);
        PartyKeys mallory = PartyKeys.DrawIdentity(random);
        using IdentityKeyPair bobKeys = bob.CreateIdentity();
        using IdentityKeyPair malloryKeys = mallory.CreateIdentity();
        return new TrustParties(alice, bob.CreateBundle(bobKeys).ToBytes(), bobKeys.PublicKey.ToBytes(), malloryKeys.PublicKey.ToBytes());
    }
}
