using E2eChat.Ratchet;
using E2eChat.Storage.Proto;
using static E2eChat.Cli.Vectors.RatchetParty;

namespace E2eChat.Cli.Vectors;

/// <summary>
/// <c>ratchet.json</c>, <c>transcript_chain_counter_limit</c>: the 32-bit message counter at its end
/// (PROTOCOL.md 5.4 and 5.5 step 1, <c>MaxChainCounter</c>). A <c>set_counter</c> step moves a
/// party's <c>Ns</c> or <c>Nr</c> to a value near the limit without deriving four billion keys
/// (nothing else of the state changes), through the state's own storage form.
/// </summary>
internal static class RatchetCounterLimit
{
    /// <summary>The counter names of a <c>set_counter</c> step.</summary>
    internal const string Sending = "ns";

    /// <summary>The receiving counter's name.</summary>
    internal const string Receiving = "nr";

    /// <summary>
    /// A copy of <paramref name="state"/> whose sending (<see cref="Sending"/>) or receiving
    /// (<see cref="Receiving"/>) counter is <paramref name="value"/>; everything else is unchanged.
    /// The caller disposes <paramref name="state"/>.
    /// </summary>
    internal static RatchetState WithCounter(RatchetState state, RandomSource random, string counter, uint value)
    {
        using var secrets = new ProtobufSecrets();
        RatchetStateData data = state.ToData(secrets);
        switch (counter)
        {
            case Sending:
                data.SendingCounter = value;
                break;
            case Receiving:
                data.ReceivingCounter = value;
                break;
            default:
                throw new VectorFormatException($"unknown counter '{counter}'");
        }

        if (!RatchetState.TryFromData(data, random, out RatchetState? moved))
        {
            throw new VectorFormatException($"{counter} = {value} gives an invalid state");
        }

        return moved;
    }

    /// <summary>
    /// Alice's last usable counter, MaxChainCounter, is sent and opened; one more is ChainExhausted;
    /// a crafted header with n = 2^32 - 1 under the current header key is InvalidHeader (no gap);
    /// after Bob's reply the DH ratchet step starts Alice's counter over and pn = 2^32 - 1 is accepted.
    /// </summary>
    internal static void Script(TranscriptRecorder t)
    {
        const uint Start = ProtocolLimits.MaxChainCounter - 1;
        t.Deliver(Alice, "a0", VectorBytes.Text("delivered at n = 0"));
        t.SetCounter(Alice, Sending, Start);
        t.SetCounter(Bob, Receiving, Start);
        t.Encrypt(Alice, "a4294967293", VectorBytes.Text("n = 4294967293"));
        EncryptedRatchetMessage last = t.Encrypt(Alice, "a4294967294", VectorBytes.Text("n = MaxChainCounter, the last usable"));
        t.EncryptFail(Alice, VectorBytes.Text("n would be 4294967295"), E2eChatFailure.ChainExhausted);
        t.Decrypt(Bob, "a4294967294");

        byte[] header = new byte[RatchetHeader.Length];
        RatchetHeader.Write(new RatchetHeader(Open(t.HeaderKeyA, last.Header)).RatchetKey, 0, uint.MaxValue, header);
        byte[] crafted = new byte[HeaderCipher.EncryptedLength];
        HeaderCipher.Encrypt(t.HeaderKeyA, header, t.Random, crafted);
        t.DecryptFail(Bob, crafted, last.Ciphertext, E2eChatFailure.InvalidHeader);

        t.Decrypt(Bob, "a4294967293");
        t.Deliver(Bob, "b0", VectorBytes.Text("reply"));
        t.Deliver(Alice, "a_new_chain", VectorBytes.Text("n = 0 again, pn = 4294967295"));
    }

    private static byte[] Open(byte[] headerKey, byte[] encryptedHeader)
    {
        byte[] header = new byte[RatchetHeader.Length];
        if (!HeaderCipher.TryDecrypt(headerKey, encryptedHeader, header))
        {
            throw new InvalidOperationException("the header does not open under header_key_a");
        }

        return header;
    }
}
