using E2eChat.Ratchet;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using static E2eChat.Tests.Ratchet.RatchetTestPair;

namespace E2eChat.Tests.Ratchet;

/// <summary>
/// The two-party model: Alice and Bob are driven through random sequences of sends (either side,
/// sometimes in large bursts), deliveries (in order or not), drops, repeated deliveries, tampered
/// deliveries and persistence (serialize then load the current state: rolling a side back to an
/// older snapshot is not modelled, since it would make it reuse keys it already used). A small
/// model of chains, counters, skipped keys and remembered chains predicts the exact outcome of
/// every delivery; every delivered message must decrypt exactly once to what was sent, and every
/// failure must leave the receiver byte for byte unchanged.
/// </summary>
public sealed partial class RatchetStateTests
{
    public enum ModelOpKind
    {
        Send,
        Burst,
        Deliver,
        DeliverAgain,
        Drop,
        Persist,
        Tamper,
    }

    public sealed record ModelOp(ModelOpKind Kind, bool Alice, int Pick, int Position);

    public static class RatchetModelArbitraries
    {
        public static Arbitrary<ModelOp> Operation() =>
            (from kind in Gen.Frequency(
                (30, Gen.Constant(ModelOpKind.Send)),
                (1, Gen.Constant(ModelOpKind.Burst)),
                (30, Gen.Constant(ModelOpKind.Deliver)),
                (5, Gen.Constant(ModelOpKind.DeliverAgain)),
                (5, Gen.Constant(ModelOpKind.Drop)),
                (6, Gen.Constant(ModelOpKind.Persist)),
                (6, Gen.Constant(ModelOpKind.Tamper)))
             from alice in Gen.Elements(true, false)
             from pick in Gen.Choose(0, 1_000_000)
             from position in Gen.Choose(0, 1_000_000)
             select new ModelOp(kind, alice, pick, position)).ToArbitrary();
    }

    [Property(MaxTest = 100, EndSize = 400, Arbitrary = new[] { typeof(RatchetModelArbitraries) })]
    public void Model_RandomSchedules_EveryMessageDecryptsExactlyOnceAndFailuresChangeNothing(ModelOp[] operations)
    {
        using var pair = new RatchetTestPair(11);
        var alice = new ModelParty(isInitiator: true);
        var bob = new ModelParty(isInitiator: false);
        int nextId = 0;
        foreach (ModelOp op in operations)
        {
            ModelParty sender = op.Alice ? alice : bob;
            ModelParty receiver = op.Alice ? bob : alice;
            RatchetState SenderState() => op.Alice ? pair.Alice : pair.Bob;
            RatchetState ReceiverState() => op.Alice ? pair.Bob : pair.Alice;
            switch (op.Kind)
            {
                case ModelOpKind.Send:
                case ModelOpKind.Burst:
                    int count = op.Kind == ModelOpKind.Burst ? 700 : 1;
                    for (int i = 0; i < count; i++)
                    {
                        byte[] text = Text($"#{nextId} {new string('x', op.Position % 90)}");
                        if (sender.SendChain < 0)
                        {
                            Assert.False(SenderState().TryEncrypt(text, out _, out E2eChatFailure failure));
                            Assert.Equal(E2eChatFailure.NotReady, failure);
                            break;
                        }

                        EncryptedRatchetMessage message = Encrypt(SenderState(), text);
                        receiver.InFlight.Add(new ModelMessage(nextId++, text, message, sender.SendChain, sender.Ns, sender.PreviousChainLength));
                        sender.Ns++;
                    }

                    break;

                case ModelOpKind.Deliver when receiver.InFlight.Count > 0:
                {
                    int index = op.Pick % receiver.InFlight.Count;
                    ModelMessage message = receiver.InFlight[index];
                    receiver.InFlight.RemoveAt(index);
                    receiver.Delivered.Add(message);
                    Deliver(ReceiverState(), receiver, message);
                    break;
                }

                case ModelOpKind.DeliverAgain when receiver.Delivered.Count > 0:
                {
                    ModelMessage message = receiver.Delivered[op.Pick % receiver.Delivered.Count];
                    E2eChatFailure expected = receiver.Expect(message, out _);
                    Assert.NotEqual(E2eChatFailure.None, expected);
                    if (receiver.Remembered.Contains(message.Chain))
                    {
                        Assert.Equal(E2eChatFailure.Duplicate, expected);
                    }

                    Deliver(ReceiverState(), receiver, message);
                    break;
                }

                case ModelOpKind.Drop when receiver.InFlight.Count > 0:
                    receiver.InFlight.RemoveAt(op.Pick % receiver.InFlight.Count);
                    break;

                case ModelOpKind.Persist:
                    if (op.Alice)
                    {
                        pair.Alice = pair.Persist(pair.Alice);
                    }
                    else
                    {
                        pair.Bob = pair.Persist(pair.Bob);
                    }

                    break;

                case ModelOpKind.Tamper when receiver.InFlight.Count + receiver.Delivered.Count > 0:
                {
                    int index = op.Pick % (receiver.InFlight.Count + receiver.Delivered.Count);
                    ModelMessage message = index < receiver.InFlight.Count ? receiver.InFlight[index] : receiver.Delivered[index - receiver.InFlight.Count];
                    byte[] header = (byte[])message.Message.Header.Clone();
                    byte[] ciphertext = (byte[])message.Message.Ciphertext.Clone();
                    int position = op.Position % (header.Length + ciphertext.Length);
                    byte mask = (byte)(1 << (op.Pick % 8));
                    E2eChatFailure expected;
                    if (position < header.Length)
                    {
                        header[position] ^= mask;
                        expected = E2eChatFailure.InvalidHeader;
                    }
                    else
                    {
                        ciphertext[position - header.Length] ^= mask;
                        expected = receiver.Expect(message, out _);
                        if (expected == E2eChatFailure.None)
                        {
                            expected = E2eChatFailure.InvalidCiphertext;
                        }
                    }

                    AssertRejected(ReceiverState(), header, ciphertext, expected);
                    break;
                }

                default:
                    break; // an operation with nothing to act on
            }
        }

        // Finally, deliver everything still in flight; the model says which must still decrypt.
        foreach (var (party, state) in new[] { (bob, pair.Bob), (alice, pair.Alice) })
        {
            foreach (ModelMessage message in party.InFlight)
            {
                Deliver(state, party, message);
            }
        }
    }

    private static void Deliver(RatchetState state, ModelParty receiver, ModelMessage message)
    {
        E2eChatFailure expected = receiver.Expect(message, out Action? commit);
        if (expected == E2eChatFailure.None)
        {
            Assert.True(state.TryDecrypt(message.Message.Header, message.Message.Ciphertext, out byte[]? plaintext, out E2eChatFailure failure), $"message #{message.Id}: {failure}");
            Assert.Equal(message.Text, plaintext);
            commit!();
            Assert.Equal(receiver.Skipped.Count, state.SkippedMessageKeyCount);
            Assert.Equal(receiver.Remembered.Count, state.ReceiverChainCount);
        }
        else
        {
            AssertRejected(state, message.Message, expected);
        }
    }

    private sealed record ModelMessage(int Id, byte[] Text, EncryptedRatchetMessage Message, int Chain, uint Counter, uint PreviousChainLength);

    /// <summary>What one side's state should be, in terms of chain numbers: sender chain k of one side is answered by chain k (responder) or k + 1 (initiator) of the other.</summary>
    private sealed class ModelParty
    {
        internal ModelParty(bool isInitiator)
        {
            SendChain = isInitiator ? 0 : -1;
        }

        internal int SendChain { get; private set; }

        internal uint Ns { get; set; }

        internal uint PreviousChainLength { get; private set; }

        /// <summary>Remembered receiving chains (the peer's sending-chain numbers), current first.</summary>
        internal List<int> Remembered { get; } = [];

        internal uint Nr { get; private set; }

        /// <summary>Skipped keys as (peer chain, counter), oldest first.</summary>
        internal List<(int Chain, uint Counter)> Skipped { get; } = [];

        internal List<ModelMessage> InFlight { get; } = [];

        internal List<ModelMessage> Delivered { get; } = [];

        internal E2eChatFailure Expect(ModelMessage message, out Action? commit)
        {
            commit = null;
            int chain = message.Chain;
            uint n = message.Counter;
            if (Remembered.Count > 0 && chain == Remembered[0])
            {
                if (n < Nr)
                {
                    return ExpectSkipped(chain, n, out commit);
                }

                if (n - Nr > ProtocolLimits.MaxMessageGap)
                {
                    return E2eChatFailure.TooBigGap;
                }

                commit = () =>
                {
                    AddSkipped(chain, Nr, n);
                    Nr = n + 1;
                };
                return E2eChatFailure.None;
            }

            if (Remembered.Contains(chain))
            {
                return ExpectSkipped(chain, n, out commit);
            }

            int next = Remembered.Count == 0 ? 0 : Remembered[0] + 1;
            if (chain != next)
            {
                return E2eChatFailure.InvalidHeader;
            }

            uint pn = message.PreviousChainLength;
            if ((Remembered.Count > 0 && pn > Nr && pn - Nr > ProtocolLimits.MaxMessageGap) || n > ProtocolLimits.MaxMessageGap)
            {
                return E2eChatFailure.TooBigGap;
            }

            commit = () =>
            {
                if (Remembered.Count > 0)
                {
                    int current = Remembered[0];
                    Remembered.Insert(0, chain);
                    if (Remembered.Count > ProtocolLimits.MaxReceiverChains)
                    {
                        int forgotten = Remembered[^1];
                        Remembered.RemoveAt(Remembered.Count - 1);
                        Skipped.RemoveAll(s => s.Chain == forgotten);
                    }

                    AddSkipped(current, Nr, pn);
                }
                else
                {
                    Remembered.Insert(0, chain);
                }

                AddSkipped(chain, 0, n);
                Nr = n + 1;
                PreviousChainLength = Ns;
                Ns = 0;
                SendChain++;
            };
            return E2eChatFailure.None;
        }

        private E2eChatFailure ExpectSkipped(int chain, uint n, out Action? commit)
        {
            int index = Skipped.IndexOf((chain, n));
            if (index < 0)
            {
                commit = null;
                return E2eChatFailure.Duplicate;
            }

            commit = () => Skipped.RemoveAt(index);
            return E2eChatFailure.None;
        }

        private void AddSkipped(int chain, uint from, uint to)
        {
            for (uint counter = from; counter < to; counter++)
            {
                Skipped.Add((chain, counter));
            }

            if (Skipped.Count > ProtocolLimits.MaxSkippedMessageKeys)
            {
                Skipped.RemoveRange(0, Skipped.Count - ProtocolLimits.MaxSkippedMessageKeys);
            }
        }
    }
}
