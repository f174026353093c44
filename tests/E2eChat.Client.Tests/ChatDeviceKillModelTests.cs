using E2eChat.Client.Tests.Infrastructure;
using E2eChat.Wire;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.Data.Sqlite;
using Microsoft.FSharp.Core;

namespace E2eChat.Client.Tests;

/// <summary>
/// A model of a customer and a business chatting over the real relay (loopback) with SQLite stores,
/// their processes killed at random points: between steps, at the k-th store write (of either file),
/// by cancellation in the middle of an operation, and after events were handed over but before the
/// relay heard the acknowledgement. After each kill the device is reopened from its files and goes on.
/// At the end every message the relay accepted was handed to the recipient's application exactly once,
/// nothing was undecryptable, and no one-time pre-key id came back after it was used.
/// </summary>
public sealed class ChatDeviceKillModelTests
{
    /// <summary>Cases per run: each opens two devices over the relay and runs up to ~40 steps (a few seconds in all).</summary>
    private const int Cases = 30;

    /// <summary>The largest script size (steps are read from it a few bytes at a time).</summary>
    private const int MaxScriptSize = 36;

    /// <summary>An armed kill fires within this many store writes.</summary>
    private const int MaxWritesBeforeKill = 5;

    private static readonly TimeSpan s_operationLimit = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task RandomStepsAndKills_NoMessageLostDuplicatedOrUndecryptable_NoPreKeyReused()
    {
        await using TestRelay relay = await TestRelay.StartAsync();
        int run = 0;
        Config config = Config.QuickThrowOnFailure
            .WithMaxTest(Cases)
            .WithStartSize(MaxScriptSize / 3)
            .WithEndSize(MaxScriptSize)
            .WithReplay(FSharpOption<Replay>.Some(new Replay(new Rnd(20261206UL, 0x9E3779B97F4A7C15UL), FSharpOption<int>.None)));
        Check.One(config, Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), (byte[] script) =>
        {
            int number = Interlocked.Increment(ref run);
            Task.Run(() => RunAsync(relay, number, script ?? [])).GetAwaiter().GetResult();
        }));
        Assert.True(run >= Cases);

        // The model did what it is for: kills at store writes, and messages on both sides.
        Assert.True(s_writeKills >= Cases / 3, $"only {s_writeKills} kills at a store write");
        Assert.True(s_cancels >= Cases / 6, $"only {s_cancels} cancellations");
        Assert.True(s_handedOver >= Cases * 3, $"only {s_handedOver} messages handed over");
    }

    private static int s_writeKills;
    private static int s_handedOver;
    private static int s_cancels;

    private static async Task RunAsync(TestRelay relay, int run, byte[] script)
    {
        await using var devices = new TestDevices(relay);
        var customer = new Participant(devices, $"customer{run}", AccountKind.Person);
        var business = new Participant(devices, $"shop{run}", AccountKind.Business);
        try
        {
            await customer.OpenAsync();
            await business.OpenAsync();

            // The customer writes first (it opens the business's service window at the relay).
            await customer.SendAsync(business, "c0", killable: false);
            int position = 0;
            int sent = 0;
            byte Next() => position < script.Length ? script[position++] : (byte)0;
            while (position < script.Length)
            {
                byte op = Next();
                Participant one = (op & 1) == 0 ? customer : business;
                Participant other = ReferenceEquals(one, customer) ? business : customer;
                switch ((op >> 1) % 6)
                {
                    case 0:
                    case 1:
                        await one.SendAsync(other, $"{one.Tag}{++sent}", killable: true);
                        break;
                    case 2:
                        await one.ReceiveAsync(stopAfterMessage: Next() % 3 == 0);
                        break;
                    case 3:
                        await one.RestartAsync();
                        break;
                    case 4:
                        one.Arm(1 + (Next() % MaxWritesBeforeKill), cancel: false);
                        break;
                    case 5:
                        one.Arm(1 + (Next() % MaxWritesBeforeKill), cancel: true);
                        break;
                }

                one.CheckPreKeys();
                other.CheckPreKeys();
            }

            // No more kills: both sides catch up until nothing new arrives.
            customer.Disarm();
            business.Disarm();
            for (int round = 0; round < 3; round++)
            {
                await customer.ReceiveAsync(stopAfterMessage: false);
                await business.ReceiveAsync(stopAfterMessage: false);
            }

            customer.CheckPreKeys();
            business.CheckPreKeys();
            customer.CheckReceived(business);
            business.CheckReceived(customer);
        }
        finally
        {
            await customer.CloseAsync();
            await business.CloseAsync();
        }
    }

    /// <summary>One side: its device (reopened after kills), its application's record, and what it sent.</summary>
    private sealed class Participant(TestDevices devices, string account, AccountKind kind)
    {
        private readonly List<string> _handedOver = [];
        private readonly List<string> _problems = [];
        private readonly HashSet<string> _accepted = [];
        private readonly HashSet<string> _maybeSent = [];
        private readonly Dictionary<string, HashSet<long>> _preKeyIdsSeen = new() { ["one_time_pre_keys"] = [], ["kem_pre_keys"] = [] };
        private readonly Dictionary<string, HashSet<long>> _preKeyIdsGone = new() { ["one_time_pre_keys"] = [], ["kem_pre_keys"] = [] };
        private ChatDevice? _device;
        private int _writesUntilKill;
        private bool _cancel;
        private bool _dead;
        private bool _cancelled;
        private CancellationTokenSource? _operation;

        public string Tag => kind == AccountKind.Person ? "c" : "b";

        public ChatDevice Device => _device!;

        public int Kills { get; private set; }

        public async Task OpenAsync()
        {
            _dead = false;
            _device = await devices.OpenAsync(account, kind: kind);
            _device.ProtocolStore.WriteHook = OnWrite;
            _device.State.WriteHook = OnWrite;
        }

        /// <summary>The next store writes count down to a kill (or a cancellation of the running operation).</summary>
        public void Arm(int writes, bool cancel)
        {
            _writesUntilKill = writes;
            _cancel = cancel;
        }

        public void Disarm() => _writesUntilKill = 0;

        public async Task SendAsync(Participant to, string text, bool killable)
        {
            Category category = kind == AccountKind.Business ? Category.Service : Category.Unspecified;
            _maybeSent.Add(text);
            await RunAsync(
                async token =>
                {
                    SendResult result = await Device.SendAsync(to.Device.Address, to.Device.Kind, text, category, token);
                    Assert.True(result.IsAccepted, $"{text}: {result.Status} {result.Reason}");
                    _accepted.Add(text);
                },
                killable);
        }

        /// <summary>Receives until the queue is caught up (or, when asked, until the first message, then the process dies before acknowledging it).</summary>
        public async Task ReceiveAsync(bool stopAfterMessage)
        {
            bool killAfterHandOver = false;
            await RunAsync(
                async token =>
                {
                    await foreach (ChatEvent item in Device.ReceiveAsync(token))
                    {
                        switch (item)
                        {
                            case MessageReceived message:
                                _handedOver.Add(message.Text);
                                Interlocked.Increment(ref s_handedOver);
                                if (stopAfterMessage)
                                {
                                    killAfterHandOver = true;
                                    return;
                                }

                                break;
                            case QueueCaughtUp:
                                return;
                            case ReceiptReceived:
                                break;
                            default:
                                _problems.Add(item.ToString()!);
                                break;
                        }
                    }
                },
                killable: true);
            if (killAfterHandOver)
            {
                await RestartAsync();
            }
        }

        /// <summary>The process dies between steps and starts again over the same files.</summary>
        public async Task RestartAsync()
        {
            Kills++;
            await CloseAsync();
            await OpenAsync();
        }

        /// <summary>A one-time pre-key id that was used (gone from the store) never comes back.</summary>
        public void CheckPreKeys()
        {
            string path = Path.Combine(devices.Options(account, kind: kind).DataDirectory, ChatDevice.ProtocolStoreFileName);
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
            connection.Open();
            foreach ((string table, HashSet<long> seen) in _preKeyIdsSeen)
            {
                using SqliteCommand command = connection.CreateCommand();
                command.CommandText = $"SELECT id FROM {table}";
                var now = new HashSet<long>();
                using (SqliteDataReader reader = command.ExecuteReader())
                {
                    while (reader.Read())
                    {
                        now.Add(reader.GetInt64(0));
                    }
                }

                HashSet<long> gone = _preKeyIdsGone[table];
                Assert.False(now.Overlaps(gone), $"{account}: a used {table} id is back: {string.Join(",", now.Intersect(gone))}");
                gone.UnionWith(seen.Except(now));
                seen.UnionWith(now);
            }
        }

        /// <summary>Everything <paramref name="sender"/> had accepted was handed over here exactly once; nothing else went wrong.</summary>
        public void CheckReceived(Participant sender)
        {
            Assert.Empty(_problems);
            string[] twice = [.. _handedOver.GroupBy(t => t).Where(g => g.Count() > 1).Select(g => g.Key)];
            Assert.True(twice.Length == 0, $"{account} was handed these twice: {string.Join(",", twice)}");
            string[] lost = [.. sender._accepted.Except(_handedOver).Order()];
            Assert.True(lost.Length == 0, $"{account} never got: {string.Join(",", lost)} (kills: {Kills})");
            string[] unknown = [.. _handedOver.Except(sender._maybeSent)];
            Assert.Empty(unknown);
        }

        public async Task CloseAsync()
        {
            _operation?.Dispose();
            _operation = null;
            if (_device is not null)
            {
                await _device.DisposeAsync();
                _device = null;
            }
        }

        private async Task RunAsync(Func<CancellationToken, Task> work, bool killable)
        {
            using var operation = new CancellationTokenSource(s_operationLimit);
            _operation = operation;
            try
            {
                await work(operation.Token);
            }
            catch (Exception) when (killable && _dead)
            {
                // The process died at a store write (whatever the exception became on its way up): start again from the files.
                await RestartAsync();
            }
            catch (Exception) when (killable && _cancelled)
            {
                // Cancelled in the middle (as OperationCanceledException or the call's cancelled status): the same device goes on.
            }
            finally
            {
                _operation = null;
                _cancelled = false;
            }
        }

        private void OnWrite(string statement)
        {
            if (_dead)
            {
                throw new SimulatedKillException();
            }

            if (_writesUntilKill == 0 || --_writesUntilKill > 0)
            {
                return;
            }

            if (_cancel)
            {
                _cancelled = _operation is not null;
                _operation?.Cancel();
                Interlocked.Increment(ref s_cancels);
                return;
            }

            // Every later write of this instance fails too: it is dead.
            _dead = true;
            Interlocked.Increment(ref s_writeKills);
            throw new SimulatedKillException($"Killed at {statement}.");
        }
    }
}
