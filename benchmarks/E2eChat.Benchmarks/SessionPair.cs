
namespace E2eChat.Benchmarks;

/// <summary>
/// Benchmark fixture (not a benchmark): Alice's and Bob's session records of one real session,
/// set up the way an app does it (two <see cref="SessionManager"/>s over in-memory stores: a
/// handshake from Bob's bundle, then messages both ways) and loaded back from the session stores.
/// The last message went from Alice to Bob, so Alice's sending chain is Bob's current receiving
/// chain: every further message from Alice is a steady-state message on an existing chain. The
/// managers stay usable too, each with its own copy of the same session state as the records: use
/// either the records or the managers in one benchmark, not both.
/// </summary>
internal sealed class SessionPair : IDisposable
{
    private SessionPair(SessionRecord alice, SessionRecord bob, SessionManager aliceManager, SessionManager bobManager)
    {
        Alice = alice;
        Bob = bob;
        AliceManager = aliceManager;
        BobManager = bobManager;
    }

    /// <summary>Alice's device.</summary>
    internal static ProtocolAddress AliceAddress { get; } = new("alice", 1);

    /// <summary>Bob's device.</summary>
    internal static ProtocolAddress BobAddress { get; } = new("bob", 1);

    /// <summary>Alice's record of her session with Bob.</summary>
    internal SessionRecord Alice { get; }

    /// <summary>Bob's record of his session with Alice.</summary>
    internal SessionRecord Bob { get; }

    /// <summary>Alice's session manager (over in-memory stores).</summary>
    internal SessionManager AliceManager { get; }

    /// <summary>Bob's session manager (over in-memory stores).</summary>
    internal SessionManager BobManager { get; }

    /// <summary>Alice's current session state.</summary>
    internal SessionState AliceState => Alice.Current ?? throw new InvalidOperationException("Alice has no session.");

    /// <summary>Bob's current session state.</summary>
    internal SessionState BobState => Bob.Current ?? throw new InvalidOperationException("Bob has no session.");

    /// <summary>Sets up a session.</summary>
    /// <param name="roundTrips">Messages Bob answers after Alice's first (each starts new receiving chains on both sides; at least 1).</param>
    /// <param name="skippedKeys">Messages of Alice's that Bob never receives, leaving him that many skipped keys.</param>
    /// <returns>The two records.</returns>
    internal static SessionPair Create(int roundTrips = 2, int skippedKeys = 0) =>
        CreateAsync(roundTrips, skippedKeys).AsTask().GetAwaiter().GetResult();

    /// <summary>Disposes both records and both managers.</summary>
    public void Dispose()
    {
        Alice.Dispose();
        Bob.Dispose();
        AliceManager.Dispose();
        BobManager.Dispose();
    }

    private static async ValueTask<SessionPair> CreateAsync(int roundTrips, int skippedKeys)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(roundTrips, 1);
        ProtocolStores aliceStores = ProtocolStores.CreateInMemory(IdentityKeyPair.Generate());
        ProtocolStores bobStores = ProtocolStores.CreateInMemory(IdentityKeyPair.Generate());
        PreKeyGenerator bobKeys = await bobStores.CreatePreKeyGeneratorAsync().ConfigureAwait(false);
        await bobKeys.GenerateAsync(1).ConfigureAwait(false);
        PreKeyBundle bundle = await bobKeys.CreateBundleAsync().ConfigureAwait(false);
        byte[] text = new byte[100];
        Random.Shared.NextBytes(text);

        var alice = new SessionManager(aliceStores, AliceAddress);
        var bob = new SessionManager(bobStores, BobAddress);
        await alice.StartSessionAsync(BobAddress, bundle).ConfigureAwait(false);
        for (int i = 0; i < roundTrips; i++)
        {
            await SendAsync(alice, AliceAddress, bob, BobAddress, text).ConfigureAwait(false);
            await SendAsync(bob, BobAddress, alice, AliceAddress, text).ConfigureAwait(false);
        }

        for (int i = 0; i < skippedKeys; i++)
        {
            _ = await alice.EncryptAsync(BobAddress, text).ConfigureAwait(false);
        }

        await SendAsync(alice, AliceAddress, bob, BobAddress, text).ConfigureAwait(false);

        SessionRecord aliceRecord = await LoadAsync(aliceStores, BobAddress).ConfigureAwait(false);
        SessionRecord bobRecord = await LoadAsync(bobStores, AliceAddress).ConfigureAwait(false);
        return new SessionPair(aliceRecord, bobRecord, alice, bob);
    }

    private static async ValueTask SendAsync(SessionManager from, ProtocolAddress fromAddress, SessionManager to, ProtocolAddress toAddress, byte[] text)
    {
        CiphertextMessage message = await from.EncryptAsync(toAddress, text).ConfigureAwait(false);
        byte[] received = await to.DecryptAsync(fromAddress, message).ConfigureAwait(false);
        if (!received.AsSpan().SequenceEqual(text))
        {
            throw new InvalidOperationException("Set-up message garbled.");
        }
    }

    private static async ValueTask<SessionRecord> LoadAsync(ProtocolStores stores, ProtocolAddress peer)
    {
        byte[] stored = (await stores.Sessions.LoadSessionAsync(peer).ConfigureAwait(false)).Record
            ?? throw new InvalidOperationException("No stored session.");
        if (!SessionRecord.TryDeserialize(stored, out SessionRecord? record, out E2eChatFailure failure))
        {
            throw new InvalidOperationException($"Stored session did not load: {failure}.");
        }

        return record;
    }
}
