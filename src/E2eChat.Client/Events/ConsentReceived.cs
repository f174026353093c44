using E2eChat.Wire;

namespace E2eChat.Client;

/// <summary>
/// On a business's device: a customer sent a consent record in the chat. It was verified with all the
/// steps of PROTOCOL.md 16.2 under the customer's account key (pinned from its device list, fetched from
/// the relay when unknown) and, when <see cref="Failure"/> is <see cref="E2eChatFailure.None"/>, kept in
/// <see cref="ChatDevice.Proofs"/> as the proof of opt-in.
/// </summary>
public sealed class ConsentReceived : ChatEvent
{
    internal ConsentReceived(ProtocolAddress sender, E2eChatFailure failure, ConsentProof? proof)
    {
        Sender = sender;
        Failure = failure;
        Proof = proof;
    }

    /// <summary>The customer's device that sent it.</summary>
    public ProtocolAddress Sender { get; }

    /// <summary><see cref="E2eChatFailure.None"/> when kept, otherwise the first rule broken (nothing kept).</summary>
    public E2eChatFailure Failure { get; }

    /// <summary>The customer's newest proof after this record (<see langword="null"/> when none is kept).</summary>
    public ConsentProof? Proof { get; }

    /// <summary>Names the outcome.</summary>
    /// <returns>A description.</returns>
    public override string ToString() => $"ConsentReceived(from {Sender}, {(Failure == E2eChatFailure.None ? Proof?.Record.ToString() : Failure.ToString())})";
}
