using E2eChat.Relay.Server.Storage.Postgres;

namespace E2eChat.Relay.Server.Tests.Storage;

public sealed class ShardMapTests
{
    private static readonly string[] s_accounts = Enumerable.Range(0, 3000).Select(i => $"account-{i}").ToArray();

    [Fact]
    public void ShardOf_SameAccount_SameShardEveryTime()
    {
        var first = new ShardMap(3);
        var second = new ShardMap(3);
        Assert.All(s_accounts, a => Assert.Equal(first.ShardOf(a), second.ShardOf(a)));
        Assert.All(s_accounts, a => Assert.Equal(0, new ShardMap(1).ShardOf(a)));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void ShardOf_ManyAccounts_EveryShardNearItsFairShare(int shards)
    {
        var map = new ShardMap(shards);
        int[] counts = new int[shards];
        foreach (string account in s_accounts)
        {
            counts[map.ShardOf(account)]++;
        }

        double fair = s_accounts.Length / (double)shards;
        Assert.All(counts, c => Assert.InRange(c, fair * 0.75, fair * 1.25));
    }

    [Fact]
    public void ShardOf_AShardAdded_OnlyAccountsMovingToTheNewShardMove()
    {
        var before = new ShardMap(3);
        var after = new ShardMap(4);
        int moved = 0;
        foreach (string account in s_accounts)
        {
            int was = before.ShardOf(account);
            int now = after.ShardOf(account);
            if (was != now)
            {
                Assert.Equal(3, now);
                moved++;
            }
        }

        Assert.InRange(moved, s_accounts.Length * 0.15, s_accounts.Length * 0.35);
    }
}
