using E2eChat.Relay.Server.Api;
using Grpc.Net.Client;

namespace E2eChat.Relay.Server.Tests.Integration;

/// <summary>The relay process killed mid-stream and restarted over the same files loses nothing it acknowledged.</summary>
public sealed class KillRestartTests
{
    [Fact]
    public async Task KilledMidStream_Restarted_EveryAcceptedUnacknowledgedMessageRedeliveredAndNothingAcknowledgedReturns()
    {
        string directory = TempDirectory.Create();
        RelayProcess relay = await RelayProcess.StartAsync(directory);
        var channel = new GrpcChannelHolder(GrpcChannel.ForAddress(relay.Address));
        try
        {
            using var alice = new TestDevice(() => channel, Names.New("alice"));
            using var bob = new TestDevice(() => channel, Names.New("bob"));
            await alice.AuthenticateAsync();
            await bob.AuthenticateAsync();
            var accepted = new List<byte[]>();
            for (int batch = 0; batch < 4; batch++)
            {
                byte[][] envelopes = Enumerable.Range(0, 5).Select(_ => alice.RatchetEnvelope(bob)).ToArray();
                SendResponse response = await alice.SendAsync(envelopes);
                Assert.All(response.Results, r => Assert.Equal(EnvelopeStatus.Accepted, r.Status));
                accepted.AddRange(envelopes);
            }

            using (ReceiveStream stream = await bob.ReceiveAsync())
            {
                List<Delivery> first = await stream.ReadAsync(8);
                await stream.AckAsync(first.Take(6).Select(d => d.Sequence));

                // Closing our side makes the relay finish the stream only after it has handled every
                // acknowledgement sent before: the six are deleted for good.
                await stream.CompleteAsync();
                Assert.Null(await stream.ReadToEndAsync());
            }

            // Killed in the middle of a stream that has delivered the rest without acknowledgement.
            using (ReceiveStream stream = await bob.ReceiveAsync())
            {
                Assert.Equal(accepted.Count - 6, (await stream.ReadUntilDrainedAsync()).Count);
                relay.Kill();
            }

            relay.Dispose();
            relay = await RelayProcess.StartAsync(directory);
            channel.Channel.Dispose();
            channel.Channel = GrpcChannel.ForAddress(relay.Address);

            using ReceiveStream again = await bob.ReceiveAsync();
            List<Delivery> redelivered = await again.ReadUntilDrainedAsync();
            Assert.Equal(accepted.Skip(6).Select(Convert.ToHexString), redelivered.Select(d => Convert.ToHexString(d.Envelope.ToByteArray())));

            // The relay keeps working: a retry of an accepted envelope is a duplicate, a new one is accepted.
            Assert.Equal(EnvelopeStatus.Duplicate, (await alice.SendAsync(accepted[0])).Results.Single().Status);
            Assert.Equal(EnvelopeStatus.Accepted, (await alice.SendAsync(alice.RatchetEnvelope(bob))).Results.Single().Status);
        }
        finally
        {
            channel.Channel.Dispose();
            relay.Dispose();
            TempDirectory.Delete(directory);
        }
    }
}
