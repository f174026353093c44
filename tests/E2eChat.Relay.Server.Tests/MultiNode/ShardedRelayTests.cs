using E2eChat.Relay.Server.Api;
using E2eChat.Relay.Server.Storage.Postgres;

namespace E2eChat.Relay.Server.Tests.MultiNode;

/// <summary>Two relay nodes configured with two shard databases (<c>Relay:PostgresShards</c>).</summary>
public sealed class ShardedRelayTests(TwoDatabasesFixture databases) : IClassFixture<TwoDatabasesFixture>
{
    [Fact]
    public async Task AccountsOnDifferentShards_SentThroughOneNode_ReceivedLiveOnTheOther()
    {
        string schema = PostgresTestDatabase.NewSchemaName();
        string[] settings =
        [
            "--Relay:Store=Postgres", $"--Relay:PostgresSchema={schema}", "--Relay:CatchUpInterval=00:10:00",
            $"--Relay:PostgresShards:0={databases.ConnectionStrings[0]}", $"--Relay:PostgresShards:1={databases.ConnectionStrings[1]}",
        ];
        var map = new ShardMap(2);
        string Account(string prefix, int shard)
        {
            while (true)
            {
                string name = Names.New(prefix);
                if (map.ShardOf(name) == shard)
                {
                    return name;
                }
            }
        }

        await using RelayTestServer first = await RelayTestServer.StartAsync(settings: settings);
        await using RelayTestServer second = await RelayTestServer.StartAsync(settings: settings);
        try
        {
            using var alice = new TestDevice(first, Account("alice", 0));
            using var bob = new TestDevice(second, Account("bob", 1));
            await alice.AuthenticateAsync();
            await bob.AuthenticateAsync();
            Assert.Contains(bob.Name, await databases.NamesAsync(1, schema, "SELECT name FROM devices"));
            Assert.DoesNotContain(bob.Name, await databases.NamesAsync(0, schema, "SELECT name FROM devices"));

            using ReceiveStream bobStream = await bob.ReceiveAsync();
            Assert.Empty(await bobStream.ReadUntilDrainedAsync());
            byte[] toBob = alice.RatchetEnvelope(bob);
            Assert.Equal(EnvelopeStatus.Accepted, (await alice.SendAsync(toBob)).Results.Single().Status);
            Assert.Equal(toBob, (await bobStream.ReadAsync(1)).Single().Envelope.ToByteArray());

            using ReceiveStream aliceStream = await alice.ReceiveAsync();
            Assert.Empty(await aliceStream.ReadUntilDrainedAsync());
            byte[] toAlice = bob.RatchetEnvelope(alice);
            Assert.Equal(EnvelopeStatus.Accepted, (await bob.SendAsync(toAlice)).Results.Single().Status);
            Assert.Equal(toAlice, (await aliceStream.ReadAsync(1)).Single().Envelope.ToByteArray());
        }
        finally
        {
            await databases.DropSchemaAsync(schema);
        }
    }
}
