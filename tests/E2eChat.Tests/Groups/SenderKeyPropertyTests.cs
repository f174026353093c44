using E2eChat.Crypto;
using E2eChat.Tests.Handshake;
using FsCheck.Xunit;

namespace E2eChat.Tests.Groups;

/// <summary>
/// Properties of sender keys over random scripts: one sender, several receivers, random posts (with and
/// without expiry), rotations that leave some receivers out, distributions delivered late and out of
/// order, random per-receiver delivery orders with drops and duplicates, clock changes, expired-key
/// deletion, and serialize/reload of receiver records. An independent model of PROTOCOL.md section 7
/// predicts the outcome of every step; every delivered post decrypts at most once, to what was posted.
/// </summary>
public sealed class SenderKeyPropertyTests
{
    private const int ReceiverCount = 4;
    private const ulong Lifetime = (ulong)ProtocolLimits.StatusLifetimeMilliseconds;

    [Property(MaxTest = 200, EndSize = 200)]
    public void OneSenderManyReceivers_RandomScript_MatchesModel(ulong seed, byte[] script)
    {
        script ??= [];
        using var run = new ScriptRun(seed);
        int position = 0;
        byte Next() => position < script.Length ? script[position++] : (byte)0;

        while (position < script.Length)
        {
            switch (Next() % 11)
            {
                case 0:
                case 1:
                    run.Post(Next(), Next(), Next());
                    break;
                case 2:
                case 3:
                case 4:
                    run.Deliver(Next() % ReceiverCount, Next());
                    break;
                case 5:
                    run.AdvanceClock(Next());
                    break;
                case 6:
                    run.Rotate(excluded: Next() % (ReceiverCount + 1));
                    break;
                case 7:
                    run.ProcessPending(Next() % ReceiverCount, Next());
                    break;
                case 8:
                    run.Reload(Next() % ReceiverCount);
                    break;
                case 9:
                    run.DeleteExpired(Next() % ReceiverCount);
                    break;
                default:
                    run.Resend(excluded: Next() % (ReceiverCount + 1));
                    break;
            }
        }

        run.Drain();
    }

    [Property(MaxTest = 150)]
    public void RandomEdits_OfValidPost_RefusedWithoutChange(ulong seed, byte[] edits, bool withExpiry)
    {
        edits ??= [];
        using var group = new SenderKeyTestGroup(1, seed);
        group.Post("skipped");
        byte[] post = group.Post(new byte[(int)(seed % 200)], withExpiry ? SenderKeyTestGroup.Now + 1 : 0);
        var changed = new List<byte>(post);
        for (int i = 0; i + 2 < edits.Length; i += 3)
        {
            int at = edits[i + 1] * changed.Count / 256;
            switch (edits[i] % 4)
            {
                case 0 when changed.Count > 0: changed[at] ^= (byte)(edits[i + 2] | 1); break;
                case 1: changed.Insert(at, edits[i + 2]); break;
                case 2 when changed.Count > 0: changed.RemoveAt(at); break;
                default: changed.RemoveRange(at, changed.Count - at); break;
            }
        }

        byte[] candidate = [.. changed];
        if (candidate.AsSpan().SequenceEqual(post))
        {
            return;
        }

        byte[] before = group.Viewer.Serialize();
        Assert.False(group.Viewer.TryDecrypt(candidate, SenderKeyTestGroup.Now, out byte[]? plaintext, out E2eChatFailure failure));
        Assert.Null(plaintext);
        Assert.True(failure is E2eChatFailure.Malformed or E2eChatFailure.UnknownSenderKey or E2eChatFailure.BadSignature, failure.ToString());
        Assert.Equal(before, group.Viewer.Serialize());
    }

    [Property(MaxTest = 300)]
    public void ArbitraryBytes_NeverThrow(byte[] junk)
    {
        junk ??= [];
        using var group = new SenderKeyTestGroup(1);
        byte[] before = group.Viewer.Serialize();
        Assert.False(group.Viewer.TryDecrypt(junk, SenderKeyTestGroup.Now, out _, out E2eChatFailure failure));
        Assert.NotEqual(E2eChatFailure.None, failure);
        Assert.False(group.Viewer.TryProcessDistribution(junk, out _));
        if (SenderKeyRecord.TryDeserialize(junk, out SenderKeyRecord? loaded, out E2eChatFailure stateFailure))
        {
            loaded.Dispose();
        }
        else
        {
            Assert.NotEqual(E2eChatFailure.None, stateFailure);
        }

        if (GroupSender.TryDeserialize(junk, out GroupSender? sender, out _))
        {
            sender.Dispose();
        }

        Assert.Equal(before, group.Viewer.Serialize());
    }

    private sealed record Post(int Index, uint ChainId, uint Iteration, ulong ExpiresAt, byte[] Plaintext, byte[] Message);

    private sealed record Distribution(uint ChainId, uint Iteration, byte[] Bytes);

    /// <summary>The model of one receiver's record (section 7) next to the real one.</summary>
    private sealed class Receiver(SenderKeyRecord record) : IDisposable
    {
        internal SenderKeyRecord Record { get; set; } = record;

        internal List<uint> Generations { get; } = [];

        internal Dictionary<uint, uint> NextIteration { get; } = [];

        internal List<(uint ChainId, uint Iteration, ulong DeleteAfter)> Skipped { get; } = [];

        internal List<Distribution> Pending { get; } = [];

        /// <summary>Posts this receiver has opened, by chain id and post index.</summary>
        internal HashSet<(uint ChainId, int Index)> Opened { get; } = [];

        /// <summary>Chain ids whose generation this receiver evicted (section 7: at most five are held).</summary>
        internal HashSet<uint> Evicted { get; } = [];

        internal void Install(uint chainId, uint iteration)
        {
            if (Generations.Remove(chainId))
            {
                Generations.Insert(0, chainId);
                return;
            }

            if (Evicted.Remove(chainId))
            {
                // Section 7: a generation evicted and installed again from a (late or re-sent)
                // distribution starts over at that distribution's iteration, so posts it had opened
                // before the eviction can open once more; replays across an eviction are caught by the
                // message id (the relay's and the client's dedup), not by the sender-key record.
                Opened.RemoveWhere(o => o.ChainId == chainId);
            }

            Generations.Insert(0, chainId);
            NextIteration[chainId] = iteration;
            while (Generations.Count > ProtocolLimits.MaxSenderKeyStates)
            {
                uint evicted = Generations[^1];
                Generations.RemoveAt(Generations.Count - 1);
                NextIteration.Remove(evicted);
                Evicted.Add(evicted);
                Skipped.RemoveAll(s => s.ChainId == evicted);
            }
        }

        internal E2eChatFailure Expect(Post post, ulong now)
        {
            if (!Generations.Contains(post.ChainId))
            {
                return E2eChatFailure.UnknownSenderKey;
            }

            if (post.ExpiresAt != 0 && post.ExpiresAt <= now)
            {
                return E2eChatFailure.Expired;
            }

            uint next = NextIteration[post.ChainId];
            if (post.Iteration < next)
            {
                int index = Skipped.FindIndex(s => s.ChainId == post.ChainId && s.Iteration == post.Iteration);
                if (index < 0)
                {
                    return E2eChatFailure.Duplicate;
                }

                Skipped.RemoveAt(index);
                return E2eChatFailure.None;
            }

            if (post.Iteration - next > ProtocolLimits.MaxSenderKeyGap)
            {
                return E2eChatFailure.TooBigGap;
            }

            ulong deleteAfter = post.ExpiresAt == 0 ? 0 : (now > ulong.MaxValue - Lifetime ? ulong.MaxValue : now + Lifetime);
            for (uint i = next; i < post.Iteration; i++)
            {
                if (Skipped.Count == ProtocolLimits.MaxSenderKeySkippedKeys)
                {
                    Skipped.RemoveAt(0);
                }

                Skipped.Add((post.ChainId, i, deleteAfter));
            }

            NextIteration[post.ChainId] = post.Iteration + 1;
            return E2eChatFailure.None;
        }

        public void Dispose() => Record.Dispose();
    }

    private sealed class ScriptRun : IDisposable
    {
        private readonly DeterministicRandomSource _random;
        private readonly GroupSender _sender;
        private readonly Random _plaintexts;
        private readonly List<Post> _posts = [];
        private readonly List<Receiver> _receivers = [];
        private ulong _now = SenderKeyTestGroup.Now;

        internal ScriptRun(ulong seed)
        {
            _random = TestRandom.FromSeed(seed);
            _sender = GroupSender.Create(_random);
            _plaintexts = new Random(unchecked((int)seed));
            byte[] distribution = CurrentDistribution();
            for (int i = 0; i < ReceiverCount; i++)
            {
                var receiver = new Receiver(SenderKeyRecord.Create(distribution));
                receiver.Install(_sender.ChainId, _sender.Iteration);
                _receivers.Add(receiver);
            }
        }

        internal void Post(byte length, byte expiryKind, byte expiryArgument)
        {
            byte[] plaintext = new byte[length];
            _plaintexts.NextBytes(plaintext);
            ulong expiresAt = (expiryKind % 4) switch
            {
                0 or 1 => 0,
                2 => _now + Lifetime,
                _ => _now + (expiryArgument * 60_000ul),
            };
            uint chainId = _sender.ChainId;
            uint iteration = _sender.Iteration;
            byte[] message = _sender.Encrypt(plaintext, expiresAt).Body.ToArray();
            _posts.Add(new Post(_posts.Count, chainId, iteration, expiresAt, plaintext, message));
        }

        internal void Deliver(int receiverIndex, byte postChoice)
        {
            if (_posts.Count > 0)
            {
                Deliver(_receivers[receiverIndex], _posts[postChoice % _posts.Count]);
            }
        }

        /// <summary>
        /// Moves the clock: coarse steps, a few milliseconds, or exactly onto (or just before) the next
        /// boundary that matters: a post's expiry or a skipped key's deletion time.
        /// </summary>
        internal void AdvanceClock(byte choice)
        {
            ulong[] boundaries = [.. _posts.Select(p => p.ExpiresAt)
                .Concat(_receivers.SelectMany(r => r.Skipped.Select(s => s.DeleteAfter)))
                .Where(t => t > _now && t != ulong.MaxValue)
                .Order()];
            switch (choice % 4)
            {
                case 0:
                    _now += (ulong)(choice / 4) * (Lifetime / 64);
                    break;
                case 1:
                    _now += (ulong)(choice / 4);
                    break;
                default:
                    if (boundaries.Length > 0)
                    {
                        ulong boundary = boundaries[choice / 4 % boundaries.Length];
                        _now = choice % 4 == 2 ? boundary - 1 : boundary;
                    }

                    break;
            }
        }

        internal void Rotate(int excluded)
        {
            _sender.Rotate();
            Send(excluded);
        }

        internal void Resend(int excluded) => Send(excluded);

        internal void ProcessPending(int receiverIndex, byte choice)
        {
            Receiver receiver = _receivers[receiverIndex];
            if (receiver.Pending.Count == 0)
            {
                return;
            }

            Distribution distribution = receiver.Pending[choice % receiver.Pending.Count];
            receiver.Pending.Remove(distribution);
            Assert.True(receiver.Record.TryProcessDistribution(distribution.Bytes, out E2eChatFailure failure), failure.ToString());
            receiver.Install(distribution.ChainId, distribution.Iteration);
            AssertSameState(receiver);
        }

        internal void Reload(int receiverIndex)
        {
            Receiver receiver = _receivers[receiverIndex];
            byte[] serialized = receiver.Record.Serialize();
            Assert.True(SenderKeyRecord.TryDeserialize(serialized, out SenderKeyRecord? loaded, out E2eChatFailure failure), failure.ToString());
            Assert.Equal(serialized, loaded.Serialize());
            receiver.Record.Dispose();
            receiver.Record = loaded;
        }

        internal void DeleteExpired(int receiverIndex)
        {
            Receiver receiver = _receivers[receiverIndex];
            int expected = receiver.Skipped.RemoveAll(s => s.DeleteAfter != 0 && s.DeleteAfter <= _now);
            Assert.Equal(expected, receiver.Record.DeleteExpiredKeys(_now));
            AssertSameState(receiver);
        }

        /// <summary>Processes every pending distribution, then delivers every post to every receiver in a shuffled order.</summary>
        internal void Drain()
        {
            foreach (Receiver receiver in _receivers)
            {
                while (receiver.Pending.Count > 0)
                {
                    ProcessPending(_receivers.IndexOf(receiver), 0);
                }

                foreach (Post post in _posts.OrderBy(_ => _plaintexts.Next()))
                {
                    Deliver(receiver, post);
                }
            }
        }

        public void Dispose()
        {
            foreach (Receiver receiver in _receivers)
            {
                receiver.Dispose();
            }

            _sender.Dispose();
            _random.Dispose();
        }

        private void Send(int excluded)
        {
            byte[] bytes = CurrentDistribution();
            for (int i = 0; i < ReceiverCount; i++)
            {
                if (i != excluded)
                {
                    _receivers[i].Pending.Add(new Distribution(_sender.ChainId, _sender.Iteration, bytes));
                }
            }
        }

        private void Deliver(Receiver receiver, Post post)
        {
            byte[] before = receiver.Record.Serialize();
            E2eChatFailure expected = receiver.Expect(post, _now);
            bool opened = receiver.Record.TryDecrypt(post.Message, _now, out byte[]? plaintext, out E2eChatFailure failure);
            Assert.Equal(expected, failure);
            if (opened)
            {
                Assert.Equal(post.Plaintext, plaintext);
                Assert.True(receiver.Opened.Add((post.ChainId, post.Index)), "a post decrypted twice");
            }
            else
            {
                Assert.Equal(before, receiver.Record.Serialize());
            }

            AssertSameState(receiver);
        }

        /// <summary>The real record holds exactly the model's generations, iterations and skipped keys (with their deletion times).</summary>
        private static void AssertSameState(Receiver receiver)
        {
            Assert.Equal(receiver.Generations, receiver.Record.ChainIds);
            foreach (uint chainId in receiver.Generations)
            {
                Assert.Equal(receiver.NextIteration[chainId], receiver.Record.NextIterationOf(chainId));
            }

            SenderKeySkippedKeys actual = receiver.Record.SkippedKeys;
            Assert.Equal(receiver.Skipped, Enumerable.Range(0, actual.Count).Select(i => (actual.ChainIdAt(i), actual.IterationAt(i), actual.DeleteAfterAt(i))));
        }

        private byte[] CurrentDistribution()
        {
            using SecretBuffer distribution = _sender.CreateDistributionMessage();
            return distribution.Span.ToArray();
        }
    }
}
