using E2eChat.Crypto;
using E2eChat.Ratchet;
using E2eChat.Storage.Proto;
using Google.Protobuf;

namespace E2eChat.Fuzz;

/// <summary>
/// The interaction target: two parties of one session driven by the fuzzer's bytes through send,
/// deliver, drop, duplicate, reorder, tamper, and save/restore of either party (through the stored
/// form, <c>RatchetStateData</c>). Every genuine message delivered for the first time
/// decrypts to what was sent (while nothing was dropped or reordered, always; otherwise it may be
/// refused as a limit says, never opened wrongly), and nothing else decrypts; a refused message
/// changes no state. It also holds the fixed session and sender-key record the parser targets
/// decrypt in.
/// </summary>
internal static class Interaction
{
    private const int Operations = 9;
    private const int KeyLength = 32;
    private const int AssociatedDataLength = 288;
    private const ulong Now = 1_767_225_600_000;

    private static readonly Lazy<RatchetState> s_fixedReceiver = new(() => CreatePair(0xF1).Bob);
    private static readonly Lazy<SenderKeyRecord> s_fixedRecord = new(CreateRecord);

    /// <summary>The storage key of the sealed-state target.</summary>
    internal static byte[] StorageKey { get; } = [.. Enumerable.Range(1, KeyLength).Select(i => (byte)i)];

    /// <summary>Runs one interaction.</summary>
    /// <param name="input">The fuzzer's bytes: one operation per byte, some followed by an argument byte.</param>
    internal static void Run(byte[] input)
    {
        (RatchetState alice, RatchetState bob) = CreatePair(0x17);
        using var restoreRandom = new DeterministicRandomSource([.. Enumerable.Repeat((byte)0x18, KeyLength)]);
        try
        {
            var toBob = new List<Sent>();
            var toAlice = new List<Sent>();
            bool inOrder = true;
            int counter = 0;
            for (int i = 0; i < input.Length; i++)
            {
                int op = input[i] % Operations;
                int argument = i + 1 < input.Length ? input[i + 1] : 0;
                switch (op)
                {
                    case 0:
                        Send(alice, toBob, ref counter);
                        break;
                    case 1:
                        Send(bob, toAlice, ref counter);
                        break;
                    case 2:
                        Deliver(bob, toBob, inOrder);
                        break;
                    case 3:
                        Deliver(alice, toAlice, inOrder);
                        break;
                    case 4:
                        inOrder &= !Drop(argument % 2 == 0 ? toBob : toAlice);
                        i++;
                        break;
                    case 5:
                        inOrder &= !Reorder(argument % 2 == 0 ? toBob : toAlice);
                        i++;
                        break;
                    case 6:
                        Tamper(argument % 2 == 0 ? bob : alice, argument % 2 == 0 ? toBob : toAlice, argument);
                        i++;
                        break;
                    case 7:
                        Redeliver(bob, toBob);
                        Redeliver(alice, toAlice);
                        break;
                    default:
                        if (argument % 2 == 0)
                        {
                            alice = SaveAndRestore(alice, restoreRandom);
                        }
                        else
                        {
                            bob = SaveAndRestore(bob, restoreRandom);
                        }

                        i++;
                        break;
                }
            }
        }
        finally
        {
            alice.Dispose();
            bob.Dispose();
        }
    }

    /// <summary>Saves a party into its stored form and restores it: the same state, which goes on as before.</summary>
    private static RatchetState SaveAndRestore(RatchetState state, RandomSource random)
    {
        byte[] saved;
        using (var secrets = new ProtobufSecrets())
        {
            saved = state.ToData(secrets).ToByteArray();
        }

        RatchetStateData loaded = RatchetStateData.Parser.ParseFrom(saved);
        bool restored = RatchetState.TryFromData(loaded, random, out RatchetState? again);
        RatchetState.WipeSecrets(loaded);
        FuzzTargets.Check(restored, "interaction: a saved state does not load");
        using (var secrets = new ProtobufSecrets())
        {
            FuzzTargets.Check(again!.ToData(secrets).ToByteArray().AsSpan().SequenceEqual(saved) && Snapshot(again) == Snapshot(state), "interaction: a state changed through save and restore");
        }

        System.Security.Cryptography.CryptographicOperations.ZeroMemory(saved);
        state.Dispose();
        return again;
    }

    /// <summary>A decryption of arbitrary bytes in a fixed session: a typed failure, and no change.</summary>
    /// <param name="header">The encrypted header.</param>
    /// <param name="ciphertext">The ciphertext.</param>
    internal static void DecryptForeign(ReadOnlySpan<byte> header, ReadOnlySpan<byte> ciphertext)
    {
        RatchetState state = s_fixedReceiver.Value;
        lock (state)
        {
            ExpectRefused(state, header, ciphertext, "ratchet_message");
        }
    }

    /// <summary>A decryption of arbitrary bytes as a post: a typed failure, and no change to the record.</summary>
    /// <param name="message">The bytes.</param>
    internal static void DecryptPost(byte[] message)
    {
        SenderKeyRecord record = s_fixedRecord.Value;
        lock (record)
        {
            byte[] before = record.Serialize();
            bool opened = record.TryDecrypt(message, Now, out byte[]? _, out E2eChatFailure failure);
            FuzzTargets.Check(!opened && failure != E2eChatFailure.None, "sender_key_message: a forged post was opened");
            FuzzTargets.Check(record.Serialize().AsSpan().SequenceEqual(before), $"sender_key_message: a refused post ({failure}) changed the record");
        }
    }

    private static (RatchetState Alice, RatchetState Bob) CreatePair(byte seed)
    {
        var random = new DeterministicRandomSource([.. Enumerable.Repeat(seed, KeyLength)]);
        byte[] rootKey = Draw(random, KeyLength);
        byte[] headerKeyA = Draw(random, KeyLength);
        byte[] nextHeaderKeyB = Draw(random, KeyLength);
        byte[] associatedData = Draw(random, AssociatedDataLength);
        byte[] bobPrivate = Draw(random, KeyLength);
        byte[] bobPublic = new byte[KeyLength];
        X25519.DerivePublicKey(bobPrivate, bobPublic);
        RatchetState alice = RatchetState.InitializeInitiator(rootKey, headerKeyA, nextHeaderKeyB, associatedData, bobPublic, random);
        RatchetState bob = RatchetState.InitializeResponder(rootKey, headerKeyA, nextHeaderKeyB, associatedData, bobPrivate, bobPublic, random);
        return (alice, bob);
    }

    private static SenderKeyRecord CreateRecord()
    {
        var random = new DeterministicRandomSource([.. Enumerable.Repeat((byte)0x5E, KeyLength)]);
        using GroupSender sender = GroupSender.Create(random);
        using SecretBuffer distribution = sender.CreateDistributionMessage();
        return SenderKeyRecord.Create(distribution.Span);
    }

    private static byte[] Draw(RandomSource random, int length)
    {
        byte[] bytes = new byte[length];
        random.Fill(bytes);
        return bytes;
    }

    private static void Send(RatchetState sender, List<Sent> queue, ref int counter)
    {
        if (!sender.CanEncrypt)
        {
            FuzzTargets.Check(!sender.TryEncrypt([1], out _, out E2eChatFailure refused) && refused == E2eChatFailure.NotReady, "interaction: a party that cannot encrypt did");
            return;
        }

        byte[] plaintext = BitConverter.GetBytes(counter++);
        FuzzTargets.Check(sender.TryEncrypt(plaintext, out EncryptedRatchetMessage message, out E2eChatFailure failure), $"interaction: encryption failed ({failure})");
        queue.Add(new Sent(message, plaintext));
    }

    private static void Deliver(RatchetState receiver, List<Sent> queue, bool inOrder)
    {
        Sent? next = queue.FirstOrDefault(s => !s.Delivered);
        if (next is null)
        {
            return;
        }

        next.Delivered = true;
        var before = Snapshot(receiver);
        if (receiver.TryDecrypt(next.Message.Header, next.Message.Ciphertext, out byte[]? plaintext, out E2eChatFailure failure))
        {
            FuzzTargets.Check(plaintext.AsSpan().SequenceEqual(next.Plaintext), "interaction: a message decrypted to another plaintext");
            return;
        }

        FuzzTargets.Check(!inOrder, $"interaction: an in-order genuine message was refused ({failure})");
        FuzzTargets.Check(failure is E2eChatFailure.TooBigGap or E2eChatFailure.Duplicate or E2eChatFailure.InvalidHeader, $"interaction: a genuine message was refused with {failure}");
        FuzzTargets.Check(before == Snapshot(receiver), "interaction: a refused message changed the state");
    }

    private static void Redeliver(RatchetState receiver, List<Sent> queue)
    {
        Sent? delivered = queue.LastOrDefault(s => s.Delivered);
        if (delivered is not null)
        {
            ExpectRefused(receiver, delivered.Message.Header, delivered.Message.Ciphertext, "interaction (duplicate)");
        }
    }

    private static bool Drop(List<Sent> queue)
    {
        int index = queue.FindIndex(s => !s.Delivered);
        if (index < 0)
        {
            return false;
        }

        queue.RemoveAt(index);
        return true;
    }

    private static bool Reorder(List<Sent> queue)
    {
        int index = queue.FindIndex(s => !s.Delivered);
        if (index < 0 || index == queue.Count - 1)
        {
            return false;
        }

        Sent head = queue[index];
        queue.RemoveAt(index);
        queue.Add(head);
        return true;
    }

    private static void Tamper(RatchetState receiver, List<Sent> queue, int argument)
    {
        Sent? any = queue.Count == 0 ? null : queue[argument % queue.Count];
        if (any is null)
        {
            return;
        }

        byte[] header = (byte[])any.Message.Header.Clone();
        byte[] ciphertext = (byte[])any.Message.Ciphertext.Clone();
        int position = argument % (header.Length + ciphertext.Length);
        if (position < header.Length)
        {
            header[position] ^= (byte)(1 << (argument % 8));
        }
        else
        {
            ciphertext[position - header.Length] ^= (byte)(1 << (argument % 8));
        }

        ExpectRefused(receiver, header, ciphertext, "interaction (tampered)");
    }

    private static void ExpectRefused(RatchetState receiver, ReadOnlySpan<byte> header, ReadOnlySpan<byte> ciphertext, string target)
    {
        var before = Snapshot(receiver);
        bool opened = receiver.TryDecrypt(header, ciphertext, out byte[]? _, out E2eChatFailure failure);
        FuzzTargets.Check(!opened && failure != E2eChatFailure.None, $"{target}: a message that is not genuine or was already delivered decrypted");
        FuzzTargets.Check(before == Snapshot(receiver), $"{target}: a refused message ({failure}) changed the state");
    }

    private static (uint Sending, uint Receiving, uint Previous, int Skipped, int Chains, bool CanEncrypt, string RatchetKey) Snapshot(RatchetState state) =>
        (state.SendingCounter, state.ReceivingCounter, state.PreviousSendingCounter, state.SkippedMessageKeyCount, state.ReceiverChainCount, state.CanEncrypt, Convert.ToHexString(state.SendingRatchetKey));

    /// <summary>A message in flight and what it carries.</summary>
    private sealed class Sent(EncryptedRatchetMessage message, byte[] plaintext)
    {
        internal EncryptedRatchetMessage Message { get; } = message;

        internal byte[] Plaintext { get; } = plaintext;

        internal bool Delivered { get; set; }
    }
}
