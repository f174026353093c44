using System.Text;
using E2eChat.Demo;
using E2eChat.Relay;
using E2eChat.Wire;
using E2eChat.Tests.Relay;
using Google.Protobuf;

namespace E2eChat.Tests.Demo;

public sealed class LeakCheckTests
{
    private static byte[] RandomRecord(int seed, int length)
    {
        byte[] record = new byte[length];
        new Random(seed).NextBytes(record);
        return record;
    }

    [Fact]
    public void FindLeaks_RecordContainsWholePlaintext_FindsIt()
    {
        byte[] plaintext = Encoding.UTF8.GetBytes("My card number is 4111 1111 1111 1111");
        byte[] leaky = RandomRecord(1, 500);
        plaintext.CopyTo(leaky, 123);

        IReadOnlyList<LeakFinding> leaks = LeakCheck.FindLeaks([RandomRecord(2, 300), leaky], [Encoding.UTF8.GetBytes("unrelated text here"), plaintext]);

        LeakFinding leak = Assert.Single(leaks);
        Assert.Equal(1, leak.PlaintextIndex);
        Assert.Equal(1, leak.RecordIndex);
        Assert.Equal(0, leak.PlaintextOffset);
        Assert.Equal(123, leak.RecordOffset);
        Assert.Equal(plaintext.Length - LeakCheck.WindowLength + 1, leak.PiecesFound);
    }

    [Fact]
    public void FindLeaks_OnlyOneWindowInRecord_FindsIt()
    {
        byte[] plaintext = Encoding.UTF8.GetBytes("The parcel code for the locker is 88213907, valid today.");
        byte[] record = RandomRecord(3, 256);
        plaintext.AsSpan(34, LeakCheck.WindowLength).CopyTo(record.AsSpan(200));

        LeakFinding leak = Assert.Single(LeakCheck.FindLeaks([record], [plaintext]));

        Assert.Equal(34, leak.PlaintextOffset);
        Assert.Equal(200, leak.RecordOffset);
        Assert.Equal(1, leak.PiecesFound);
    }

    [Fact]
    public void FindLeaks_WindowSplitAcrossTwoRecords_IsNotALeak()
    {
        byte[] plaintext = Encoding.UTF8.GetBytes("ABCDEFGH");
        byte[] first = [.. RandomRecord(4, 40), .. plaintext.AsSpan(0, 4)];
        byte[] second = [.. plaintext.AsSpan(4), .. RandomRecord(5, 40)];

        Assert.Empty(LeakCheck.FindLeaks([first, second], [plaintext]));
    }

    [Fact]
    public void FindLeaks_ShortPlaintext_IsSearchedWhole()
    {
        byte[] shortText = Encoding.UTF8.GetBytes("yes!!");
        byte[] record = [.. RandomRecord(6, 50), .. shortText, .. RandomRecord(7, 50)];

        LeakFinding leak = Assert.Single(LeakCheck.FindLeaks([record], [shortText]));

        Assert.Equal(50, leak.RecordOffset);
        Assert.Equal(shortText.Length, leak.Length);
    }

    [Fact]
    public void FindLeaks_NoPlaintextInRecords_ReturnsEmpty()
    {
        byte[][] plaintexts = [.. Enumerable.Range(0, 20).Select(i => Encoding.UTF8.GetBytes($"message number {i}: the order ships tonight"))];

        Assert.Empty(LeakCheck.FindLeaks([RandomRecord(8, 4000), RandomRecord(9, 70)], plaintexts));
        Assert.Empty(LeakCheck.FindLeaks([], plaintexts));
    }

    [Fact]
    public void FindLeaks_RelayAcceptedEnvelopeCarryingPlaintext_FindsTheLeak()
    {
        // A broken client that put the padded plaintext where the ciphertext belongs: the envelope is
        // still well-formed, so the keyless relay accepts and stores it; the leak check must catch it.
        byte[] plaintext = Encoding.UTF8.GetBytes("Hi! I ordered the Trail Runner 2 in size 42.");
        byte[] padded = new byte[64 + 16];
        plaintext.CopyTo(padded, 0);
        padded[plaintext.Length] = 0x80;
        var wire = TestEnvelopes.Valid(E2eChat.Wire.Proto.EnvelopeType.Ratchet);
        wire.Ratchet.Ciphertext = ByteString.CopyFrom(padded);
        var relay = new InMemoryRelay();

        Assert.True(relay.TrySubmit(wire.ToByteArray(), out _, out EnvelopeFailure failure), failure.ToString());
        LeakFinding leak = Assert.Single(LeakCheck.FindLeaks(relay.Stored, [Encoding.UTF8.GetBytes("something else entirely"), plaintext]));

        Assert.Equal(1, leak.PlaintextIndex);
        Assert.Equal(relay.Stored[0].Length - padded.Length, leak.RecordOffset);
    }
}
