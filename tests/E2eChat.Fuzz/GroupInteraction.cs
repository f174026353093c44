using E2eChat.Crypto;

namespace E2eChat.Fuzz;

/// <summary>
/// The group interaction target (section 7): two senders post to one member, who holds a
/// <see cref="SenderKeyRecord"/> for each. The fuzzer's bytes drive send, deliver, drop, duplicate,
/// reorder, tamper, misroute (a post given to the other sender's record), rotate (with the new
/// distribution processed at once), and save/restore of a record or of a sender. Every genuine post
/// delivered for the first time decrypts to what was sent (always, while no limit of section 7 is
/// reached; past one it may only be refused as that limit says); nothing else decrypts; a refused post
/// changes no record; a record or sender is the same after save and restore.
/// </summary>
internal static class GroupInteraction
{
    private const int Operations = 11;
    private const ulong Now = 1_767_225_600_000;
    private const int SeedLength = 32;

    /// <summary>Runs one interaction.</summary>
    /// <param name="input">The fuzzer's bytes: one operation per byte, some followed by an argument byte.</param>
    internal static void Run(byte[] input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var group = new Group();
        for (int i = 0; i < input.Length; i++)
        {
            int op = input[i] % Operations;
            int argument = i + 1 < input.Length ? input[i + 1] : 0;
            Member member = group.Members[(op < 2 ? op : argument) % 2];
            switch (op)
            {
                case 0:
                case 1:
                    member.Send();
                    break;
                case 2:
                    member.DeliverNext();
                    i++;
                    break;
                case 3:
                    member.Drop();
                    i++;
                    break;
                case 4:
                    member.Reorder();
                    i++;
                    break;
                case 5:
                    member.Redeliver();
                    i++;
                    break;
                case 6:
                    member.Tamper(argument >> 1);
                    i++;
                    break;
                case 7:
                    member.Misroute(group.Members[(argument + 1) % 2], argument >> 1);
                    i++;
                    break;
                case 8:
                    member.Rotate();
                    i++;
                    break;
                case 9:
                    member.RestoreRecord();
                    i++;
                    break;
                default:
                    member.RestoreSender();
                    i++;
                    break;
            }
        }
    }

    /// <summary>Both senders and the receiving member's records.</summary>
    private sealed class Group : IDisposable
    {
        internal Group()
        {
            Members = [new Member(0x31), new Member(0x32)];
        }

        internal Member[] Members { get; }

        public void Dispose()
        {
            foreach (Member member in Members)
            {
                member.Dispose();
            }
        }
    }

    /// <summary>One sender, the receiver's record of it, and the posts in flight.</summary>
    private sealed class Member : IDisposable
    {
        private readonly DeterministicRandomSource _random;
        private readonly List<Post> _queue = [];
        private GroupSender _sender;
        private SenderKeyRecord _record;
        private int _sent;
        private int _rotations;
        private int _counter;

        internal Member(byte seed)
        {
            _random = new DeterministicRandomSource([.. Enumerable.Repeat(seed, SeedLength)]);
            _sender = GroupSender.Create(_random);
            using SecretBuffer distribution = _sender.CreateDistributionMessage();
            _record = SenderKeyRecord.Create(distribution.Span);
            Tag = seed;
        }

        private byte Tag { get; }

        /// <summary>Whether a limit of section 7 may refuse a genuine post: the gap and skipped-key bounds, or a chain pushed out by rotations.</summary>
        private bool LimitReached => _sent >= ProtocolLimits.MaxSenderKeyGap || _rotations >= ProtocolLimits.MaxSenderKeyStates - 1;

        internal void Send()
        {
            byte[] plaintext = [Tag, .. BitConverter.GetBytes(_counter++)];
            FuzzTargets.Check(_sender.TryEncrypt(plaintext, 0, out CiphertextMessage? message, out E2eChatFailure failure), $"group: a post was not encrypted ({failure})");
            _queue.Add(new Post(message!.Body.ToArray(), plaintext));
            _sent++;
        }

        internal void DeliverNext()
        {
            Post? next = _queue.Find(p => !p.Delivered);
            if (next is null)
            {
                return;
            }

            next.Delivered = true;
            byte[] before = _record.Serialize();
            if (_record.TryDecrypt(next.Message, Now, out byte[]? plaintext, out E2eChatFailure failure))
            {
                FuzzTargets.Check(plaintext.AsSpan().SequenceEqual(next.Plaintext), "group: a post decrypted to another plaintext");
                return;
            }

            FuzzTargets.Check(LimitReached, $"group: a genuine post was refused ({failure}) before any limit was reached");
            FuzzTargets.Check(failure is E2eChatFailure.TooBigGap or E2eChatFailure.Duplicate or E2eChatFailure.UnknownSenderKey, $"group: a genuine post was refused with {failure}");
            FuzzTargets.Check(_record.Serialize().AsSpan().SequenceEqual(before), "group: a refused post changed the record");
        }

        internal void Drop()
        {
            int index = _queue.FindIndex(p => !p.Delivered);
            if (index >= 0)
            {
                _queue.RemoveAt(index);
            }
        }

        internal void Reorder()
        {
            int index = _queue.FindIndex(p => !p.Delivered);
            if (index >= 0 && index < _queue.Count - 1)
            {
                Post head = _queue[index];
                _queue.RemoveAt(index);
                _queue.Add(head);
            }
        }

        internal void Redeliver()
        {
            Post? delivered = _queue.FindLast(p => p.Delivered);
            if (delivered is not null)
            {
                ExpectRefused(_record, delivered.Message, "group (duplicate)");
            }
        }

        internal void Tamper(int argument)
        {
            if (_queue.Count == 0)
            {
                return;
            }

            byte[] message = (byte[])_queue[argument % _queue.Count].Message.Clone();
            message[argument % message.Length] ^= (byte)(1 << (argument % 8));
            ExpectRefused(_record, message, "group (tampered)");
        }

        internal void Misroute(Member other, int argument)
        {
            if (_queue.Count > 0)
            {
                ExpectRefused(other._record, _queue[argument % _queue.Count].Message, "group (misrouted)");
            }
        }

        internal void Rotate()
        {
            _sender.Rotate();
            using SecretBuffer distribution = _sender.CreateDistributionMessage();
            FuzzTargets.Check(_record.TryProcessDistribution(distribution.Span, out E2eChatFailure failure), $"group: a rotation's distribution was refused ({failure})");
            _rotations++;
        }

        internal void RestoreRecord()
        {
            byte[] saved = _record.Serialize();
            FuzzTargets.Check(SenderKeyRecord.TryDeserialize(saved, out SenderKeyRecord? restored, out E2eChatFailure failure), $"group: a saved record does not load ({failure})");
            FuzzTargets.Check(restored!.Serialize().AsSpan().SequenceEqual(saved), "group: a record changed through save and restore");
            _record.Dispose();
            _record = restored!;
        }

        internal void RestoreSender()
        {
            byte[] saved = _sender.Serialize();
            FuzzTargets.Check(GroupSender.TryDeserialize(saved, _random, out GroupSender? restored, out E2eChatFailure failure), $"group: a saved sender does not load ({failure})");
            FuzzTargets.Check(restored!.Serialize().AsSpan().SequenceEqual(saved), "group: a sender changed through save and restore");
            _sender.Dispose();
            _sender = restored!;
        }

        public void Dispose()
        {
            _sender.Dispose();
            _record.Dispose();
            _random.Dispose();
        }

        private static void ExpectRefused(SenderKeyRecord record, byte[] message, string what)
        {
            byte[] before = record.Serialize();
            bool opened = record.TryDecrypt(message, Now, out byte[]? _, out E2eChatFailure failure);
            FuzzTargets.Check(!opened && failure != E2eChatFailure.None, $"{what}: a post that is not genuine or was already delivered decrypted");
            FuzzTargets.Check(record.Serialize().AsSpan().SequenceEqual(before), $"{what}: a refused post ({failure}) changed the record");
        }
    }

    /// <summary>A post in flight and what it carries.</summary>
    private sealed class Post(byte[] message, byte[] plaintext)
    {
        internal byte[] Message { get; } = message;

        internal byte[] Plaintext { get; } = plaintext;

        internal bool Delivered { get; set; }
    }
}
