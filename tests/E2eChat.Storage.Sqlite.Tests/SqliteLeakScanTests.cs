using System.Security.Cryptography;
using System.Text;
using E2eChat.Tests.Storage;

namespace E2eChat.Storage.Sqlite.Tests;

/// <summary>No key material, record, identity or address appears in the files a store leaves on disk.</summary>
public sealed class SqliteLeakScanTests : IDisposable
{
    /// <summary>Length of the windows searched for: long enough that a chance match in random-looking bytes is negligible (2^-128).</summary>
    private const int Window = 16;

    private static readonly ProtocolAddress s_customer = new("carol-the-customer", 7);
    private static readonly SenderKeyName s_group = new(new ProtocolAddress("dave-the-business", 3), new DistributionId([.. Enumerable.Range(100, 16).Select(i => (byte)i)]));
    private readonly TempStore _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Files_WhileOpenAndAfterClose_HoldNoPlaintextSecretOrAddress()
    {
        var secrets = new List<(string What, byte[] Bytes)>();
        using var peer = IdentityKeyPair.Generate();
        using (SqliteProtocolStore store = _temp.Open())
        {
            ProtocolStores stores = store.ToProtocolStores();
            PreKeyGenerator generator = await stores.CreatePreKeyGeneratorAsync();
            await generator.GenerateAsync(4);
            IdentityKeyPair ours = await store.GetIdentityKeyPairAsync();
            secrets.Add(("our identity private key", ExportedBytes.Of(ours.ExportPrivateKey())));
            secrets.Add(("our identity public key", ours.PublicKey.ToBytes()));
            using (SignedPreKey? signed = await store.GetSignedPreKeyAsync(generator.SignedPreKeyId))
            {
                secrets.Add(("signed pre-key", ExportedBytes.Of(signed!.ExportPrivateKey())));
            }

            using (KemPreKey? kem = await store.GetKemPreKeyAsync(generator.LastResortKemPreKeyId))
            {
                secrets.Add(("KEM secret key", ExportedBytes.Of(kem!.ExportSecretKey())));
            }

            for (int i = 0; i < 4; i++)
            {
                PreKeyBundle bundle = await generator.CreateBundleAsync();
                using OneTimePreKey? oneTime = await store.GetOneTimePreKeyAsync(bundle.OneTimePreKeyId);
                secrets.Add(($"one-time pre-key {bundle.OneTimePreKeyId}", ExportedBytes.Of(oneTime!.ExportPrivateKey())));
                using KemPreKey? kem = await store.GetKemPreKeyAsync(bundle.KemPreKeyId);
                secrets.Add(($"one-time KEM pre-key {bundle.KemPreKeyId}", ExportedBytes.Of(kem!.ExportSecretKey())));
            }

            byte[] session = RandomNumberGenerator.GetBytes(300);
            byte[] senderKey = RandomNumberGenerator.GetBytes(200);
            secrets.Add(("session record", session));
            secrets.Add(("sender-key record", senderKey));
            secrets.Add(("peer identity", peer.PublicKey.ToBytes()));
            secrets.Add(("customer address", Encoding.ASCII.GetBytes(s_customer.Name)));
            secrets.Add(("business address", Encoding.ASCII.GetBytes(s_group.Sender.Name)));
            secrets.Add(("distribution id", s_group.DistributionId.ToArray()));

            await store.SaveIdentityAsync(s_customer, peer.PublicKey);
            long version = await store.TryStoreSessionAsync(s_customer, session, 0);
            await store.TryStoreSessionAsync(s_customer, session, version);
            await store.TryStoreSenderKeyAsync(s_group, senderKey, 0);

            AssertNoLeak(secrets);
        }

        AssertNoLeak(secrets);
    }

    private void AssertNoLeak(List<(string What, byte[] Bytes)> secrets)
    {
        string[] files = Directory.GetFiles(_temp.Directory);
        Assert.NotEmpty(files);
        foreach (string file in files)
        {
            byte[] contents;
            using (var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            {
                contents = new byte[stream.Length];
                stream.ReadExactly(contents);
            }

            foreach ((string what, byte[] bytes) in secrets)
            {
                int window = Math.Min(Window, bytes.Length);
                for (int offset = 0; offset + window <= bytes.Length; offset += window)
                {
                    Assert.True(
                        contents.AsSpan().IndexOf(bytes.AsSpan(offset, window)) < 0,
                        $"{what} (bytes {offset}..{offset + window}) found in {Path.GetFileName(file)}");
                }
            }
        }
    }
}
