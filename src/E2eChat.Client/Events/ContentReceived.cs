
namespace E2eChat.Client;

/// <summary>
/// A decrypted content of another kind (a device list, a consent record, a sender-key distribution),
/// committed and recorded as received; the record's bytes are for the layer that applies them.
/// </summary>
public sealed class ContentReceived : ChatEvent
{
    private readonly byte[] _record;

    internal ContentReceived(ProtocolAddress sender, ContentKind kind, ReadOnlySpan<byte> record)
    {
        Sender = sender;
        Kind = kind;
        _record = record.ToArray();
    }

    /// <summary>The sending device.</summary>
    public ProtocolAddress Sender { get; }

    /// <summary>What the record is.</summary>
    public ContentKind Kind { get; }

    /// <summary>The record's encoded bytes.</summary>
    public ReadOnlyMemory<byte> Record => _record;

    /// <summary>Names the kind and sender.</summary>
    /// <returns>A description.</returns>
    public override string ToString() => $"ContentReceived({Kind} from {Sender})";
}
