using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace E2eChat.Relay.Server.Storage.Postgres;

/// <summary>
/// Which database holds an account: a consistent hash ring (as Signal partitions its FoundationDB
/// key space by account). Each shard owns <see cref="RelayServerLimits.ShardVirtualNodes"/> points on
/// a 64-bit ring (SHA-256 of <c>shard:{index}:{point}</c>); an account (SHA-256 of <c>account:{name}</c>)
/// belongs to the first point at or after its hash. Adding a shard moves only the accounts that the new
/// shard's points capture (about 1/N of them), and none between the old shards.
/// </summary>
internal sealed class ShardMap
{
    private readonly ulong[] _points;
    private readonly int[] _owners;

    /// <summary>Creates the ring of <paramref name="shards"/> shards (indexes 0 to <paramref name="shards"/> - 1).</summary>
    /// <param name="shards">How many shards; their order in configuration is their identity.</param>
    internal ShardMap(int shards)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(shards, 1);
        Count = shards;
        var points = new List<(ulong Point, int Owner)>(shards * RelayServerLimits.ShardVirtualNodes);
        for (int shard = 0; shard < shards; shard++)
        {
            for (int v = 0; v < RelayServerLimits.ShardVirtualNodes; v++)
            {
                points.Add((Hash($"shard:{shard}:{v}"), shard));
            }
        }

        points.Sort((a, b) => a.Point != b.Point ? a.Point.CompareTo(b.Point) : a.Owner.CompareTo(b.Owner));
        _points = points.Select(p => p.Point).ToArray();
        _owners = points.Select(p => p.Owner).ToArray();
    }

    /// <summary>How many shards.</summary>
    internal int Count { get; }

    /// <summary>The shard holding <paramref name="account"/>'s devices, keys, queues and ledger rows.</summary>
    /// <param name="account">The account name.</param>
    /// <returns>The shard index.</returns>
    internal int ShardOf(string account)
    {
        ArgumentNullException.ThrowIfNull(account);
        if (Count == 1)
        {
            return 0;
        }

        int index = Array.BinarySearch(_points, Hash("account:" + account));
        if (index < 0)
        {
            index = ~index;
        }

        return _owners[index == _points.Length ? 0 : index];
    }

    private static ulong Hash(string text)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), digest);
        return BinaryPrimitives.ReadUInt64BigEndian(digest);
    }
}
