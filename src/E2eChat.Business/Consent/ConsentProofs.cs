using System.Collections.Concurrent;
using E2eChat.Wire;

namespace E2eChat;

/// <summary>
/// A business's book of its customers' consent records (PROTOCOL.md section 16.3): each
/// <c>Content.consent</c> received in a chat is verified against the customer's pinned account key
/// (from the account directory, section 14) with all eight steps of section 16.2 and, when accepted,
/// kept as the proof of opt-in for that customer. Records that fail change nothing. Kept in memory.
/// </summary>
public sealed class ConsentProofs
{
    private readonly string _business;
    private readonly AccountDirectory _directory;
    private readonly ConcurrentDictionary<string, ConsentProof> _proofs = new(StringComparer.Ordinal);

    /// <summary>Creates the book of <paramref name="business"/>.</summary>
    /// <param name="business">The business's account.</param>
    /// <param name="directory">The business device's account directory (the customers' account keys).</param>
    public ConsentProofs(string business, AccountDirectory directory)
    {
        ArgumentNullException.ThrowIfNull(business);
        ArgumentNullException.ThrowIfNull(directory);
        _business = business;
        _directory = directory;
    }

    /// <summary>Verifies and keeps a consent record a customer sent (a <see cref="ContentKind.Consent"/> content).</summary>
    /// <param name="customer">The customer account the content came from (the session's peer).</param>
    /// <param name="content">The decrypted content.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see cref="E2eChatFailure.None"/> when kept, or the first rule broken (nothing kept).</returns>
    /// <exception cref="ArgumentException"><paramref name="content"/> is not a consent record.</exception>
    public async ValueTask<E2eChatFailure> ReceiveAsync(string customer, Content content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(customer);
        ArgumentNullException.ThrowIfNull(content);
        if (content.Kind != ContentKind.Consent)
        {
            throw new ArgumentException("Not a consent record.", nameof(content));
        }

        SignedDeviceList? list = await _directory.GetDeviceListAsync(customer, cancellationToken).ConfigureAwait(false);
        byte[] signed = content.Record.ToArray();
        for (int attempt = 0; attempt < ProtocolLimits.MaxCommitAttempts; attempt++)
        {
            ConsentProof? previous = _proofs.GetValueOrDefault(customer);
            E2eChatFailure failure = ConsentVerifier.Verify(signed, list?.AccountKey, customer, _business, previous?.State ?? default, out ConsentRecord? record, out ConsentState next);
            if (failure != E2eChatFailure.None)
            {
                return failure;
            }

            var proof = new ConsentProof(record!, signed, next);
            bool saved = previous is null ? _proofs.TryAdd(customer, proof) : _proofs.TryUpdate(customer, proof, previous);
            if (saved)
            {
                return E2eChatFailure.None;
            }
        }

        throw new InvalidOperationException("The proofs kept changing; try again.");
    }

    /// <summary>The newest proof from a customer.</summary>
    /// <param name="customer">The customer account.</param>
    /// <returns>The proof, or <see langword="null"/> when none was received.</returns>
    public ConsentProof? Get(string customer)
    {
        ArgumentNullException.ThrowIfNull(customer);
        return _proofs.GetValueOrDefault(customer);
    }
}
