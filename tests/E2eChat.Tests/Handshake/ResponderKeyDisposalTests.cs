using E2eChat.Handshake;

namespace E2eChat.Tests.Handshake;

/// <summary>
/// The responder disposes every pre-key copy its stores hand out, except the signed pre-key that a
/// successful result owns: a copy left undisposed would keep private key material alive.
/// </summary>
public sealed class ResponderKeyDisposalTests
{
    [Fact]
    public async Task AcceptAsync_Success_DisposesOneTimeCopiesAndHandsSignedKeyToResult()
    {
        using TestParty alice = await TestParty.CreateAsync("alice", 241);
        using TestParty bob = await TestParty.CreateAsync("bob", 242);
        using InitiatorHandshakeResult initiator = InitiatorHandshake.Create(alice.Identity, alice.Address, TestParty.ResponderAddress, await bob.BundleAsync(true, true), alice.Random);
        var stores = new RecordingPreKeyStores(bob);

        (E2eChatFailure failure, ResponderHandshakeResult? responder) = await stores.AcceptAsync(alice.Address, ResponderHandshakeTests.Message(initiator));

        Assert.Equal(E2eChatFailure.None, failure);
        Assert.NotNull(responder);
        Assert.True(IsDisposed(stores.OneTime!.ExportPrivateKey));
        Assert.True(IsDisposed(stores.Kem!.ExportSecretKey));
        Assert.Same(stores.Signed, responder.SignedPreKey);
        Assert.False(IsDisposed(stores.Signed!.ExportPrivateKey));
        responder.Dispose();
        Assert.True(IsDisposed(stores.Signed.ExportPrivateKey));
    }

    [Fact]
    public async Task AcceptAsync_UnknownKemPreKey_DisposesSignedAndOneTimeCopies()
    {
        using TestParty alice = await TestParty.CreateAsync("alice", 243);
        using TestParty bob = await TestParty.CreateAsync("bob", 244);
        using InitiatorHandshakeResult initiator = InitiatorHandshake.Create(alice.Identity, alice.Address, TestParty.ResponderAddress, await bob.BundleAsync(true, true), alice.Random);
        E2eChat.Wire.Proto.PreKeyMessage message = ResponderHandshakeTests.Message(initiator);
        message.KemPrekeyId ^= 0x8000_0000;
        var stores = new RecordingPreKeyStores(bob);

        (E2eChatFailure failure, ResponderHandshakeResult? responder) = await stores.AcceptAsync(alice.Address, message);

        Assert.Equal(E2eChatFailure.UnknownKemPreKey, failure);
        Assert.Null(responder);
        Assert.True(IsDisposed(stores.Signed!.ExportPrivateKey));
        Assert.True(IsDisposed(stores.OneTime!.ExportPrivateKey));
        Assert.Null(stores.Kem);
    }

    private static bool IsDisposed(Func<SecretBuffer> export)
    {
        try
        {
            export().Dispose();
            return false;
        }
        catch (ObjectDisposedException)
        {
            return true;
        }
    }

    /// <summary>Pre-key stores over a test party's stores that remember the last copy each handed out.</summary>
    private sealed class RecordingPreKeyStores(TestParty party) : ISignedPreKeyStore, IOneTimePreKeyStore, IKemPreKeyStore
    {
        internal SignedPreKey? Signed { get; private set; }

        internal OneTimePreKey? OneTime { get; private set; }

        internal KemPreKey? Kem { get; private set; }

        internal ValueTask<(E2eChatFailure Failure, ResponderHandshakeResult? Result)> AcceptAsync(ProtocolAddress from, E2eChat.Wire.Proto.PreKeyMessage message) =>
            ResponderHandshake.AcceptAsync(party.Identity, party.Address, from, message, party.IdentityStore, this, this, this);

        public async ValueTask<SignedPreKey?> GetSignedPreKeyAsync(uint id, CancellationToken cancellationToken = default) =>
            Signed = await party.SignedPreKeys.GetSignedPreKeyAsync(id, cancellationToken);

        public async ValueTask<OneTimePreKey?> GetOneTimePreKeyAsync(uint id, CancellationToken cancellationToken = default) =>
            OneTime = await party.OneTimePreKeys.GetOneTimePreKeyAsync(id, cancellationToken);

        public async ValueTask<KemPreKey?> GetKemPreKeyAsync(uint id, CancellationToken cancellationToken = default) =>
            Kem = await party.KemPreKeys.GetKemPreKeyAsync(id, cancellationToken);

        public ValueTask SaveSignedPreKeyAsync(SignedPreKey key, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public ValueTask RemoveSignedPreKeyAsync(uint id, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public ValueTask SaveOneTimePreKeyAsync(OneTimePreKey key, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public ValueTask<bool> RemoveOneTimePreKeyAsync(uint id, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public ValueTask SaveKemPreKeyAsync(KemPreKey key, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public ValueTask<bool> RemoveKemPreKeyAsync(uint id, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
