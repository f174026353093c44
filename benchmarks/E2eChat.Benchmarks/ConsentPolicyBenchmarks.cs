using BenchmarkDotNet.Attributes;
using E2eChat.Wire;

namespace E2eChat.Benchmarks;

/// <summary>
/// The consent policy a relay runs on every business-to-person envelope (PROTOCOL.md section 17):
/// <see cref="ConsentPolicy.Decide"/> over a batch of varied pair states, categories and times (every
/// row of the decision table occurs), and the state updates <see cref="ConsentPolicy.OpenWindow"/> and
/// <see cref="ConsentPolicy.TryApply"/>. Target: well under a microsecond and nothing allocated.
/// </summary>
/// <remarks>Not sealed: BenchmarkDotNet derives from it.</remarks>
[MemoryDiagnoser]
public class ConsentPolicyBenchmarks
{
    /// <summary>Decisions per invocation.</summary>
    public const int BatchSize = 1024;

    private const ulong Now = 1_767_225_600_000;

    private readonly ConsentState[] _states = new ConsentState[BatchSize];
    private readonly Category[] _categories = new Category[BatchSize];
    private readonly ulong[] _times = new ulong[BatchSize];

    /// <summary>Builds the batch from a fixed seed.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(14);
        for (int i = 0; i < BatchSize; i++)
        {
            ConsentState state = default;
            ulong serial = 0;
            for (int step = random.Next(6); step > 0; step--)
            {
                var action = (ConsentAction)random.Next(1, 5);
                ConsentScopes scopes = action == ConsentAction.Grant ? (ConsentScopes)random.Next(1, 16) : ConsentScopes.None;
                ulong expires = action == ConsentAction.Grant && random.Next(2) == 0 ? Now + (ulong)random.Next(1, 100_000_000) : 0;
                _ = ConsentPolicy.TryApply(state, action, scopes, ++serial, expires, out state);
                if (random.Next(3) == 0)
                {
                    state = ConsentPolicy.OpenWindow(state, Now - (ulong)random.Next(0, 200_000_000));
                }
            }

            _states[i] = state;
            _categories[i] = (Category)random.Next(1, 5);
            _times[i] = Now + (ulong)random.Next(0, 100_000_000);
        }

        if (Decide() == 0)
        {
            throw new InvalidOperationException("No delivery in the batch.");
        }
    }

    /// <summary>Decides every envelope of the batch; reports the time per decision.</summary>
    /// <returns>How many were delivered.</returns>
    [Benchmark(OperationsPerInvoke = BatchSize)]
    public int Decide()
    {
        int delivered = 0;
        for (int i = 0; i < BatchSize; i++)
        {
            if (ConsentPolicy.Decide(_states[i], _categories[i], _times[i]) == ConsentDecision.Deliver)
            {
                delivered++;
            }
        }

        return delivered;
    }

    /// <summary>A customer message renews the window of every pair of the batch; time per update.</summary>
    /// <returns>A checksum of the new windows.</returns>
    [Benchmark(OperationsPerInvoke = BatchSize)]
    public ulong OpenWindow()
    {
        ulong sum = 0;
        for (int i = 0; i < BatchSize; i++)
        {
            sum += ConsentPolicy.OpenWindow(_states[i], _times[i]).WindowUntilMilliseconds;
        }

        return sum;
    }

    /// <summary>Applies a fresh grant to every pair of the batch; time per record.</summary>
    /// <returns>How many were applied (all).</returns>
    [Benchmark(OperationsPerInvoke = BatchSize)]
    public int ApplyGrant()
    {
        int applied = 0;
        for (int i = 0; i < BatchSize; i++)
        {
            ConsentState state = _states[i];
            if (ConsentPolicy.TryApply(state, ConsentAction.Grant, ConsentScopes.Utility, state.Serial + 1, 0, out _))
            {
                applied++;
            }
        }

        return applied == BatchSize ? applied : throw new InvalidOperationException("A fresh serial was refused.");
    }
}
