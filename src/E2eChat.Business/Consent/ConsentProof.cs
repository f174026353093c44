using E2eChat.Wire;

namespace E2eChat;

/// <summary>The newest record a business holds from one customer (section 16.3): its proof of opt-in, and the state it implies.</summary>
public sealed class ConsentProof
{
    private readonly byte[] _signedRecord;

    internal ConsentProof(ConsentRecord record, byte[] signedRecord, ConsentState state)
    {
        Record = record;
        _signedRecord = signedRecord;
        State = state;
    }

    /// <summary>The newest record applied.</summary>
    public ConsentRecord Record { get; }

    /// <summary>The exact signed bytes the customer's device sent (verifiable by anyone with the customer's account key).</summary>
    public ReadOnlyMemory<byte> SignedRecord => _signedRecord;

    /// <summary>The pair's state after every record received (no window: the business does not track it here).</summary>
    public ConsentState State { get; }

    /// <summary>Describes the record.</summary>
    /// <returns>A short description.</returns>
    public override string ToString() => $"Proof {Record}";
}
