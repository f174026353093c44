using E2eChat.Wire;
using FsCheck.Xunit;

namespace E2eChat.Tests.Consent;

/// <summary>
/// The engine against the independent <see cref="ConsentModel"/>: random sequences of grants (with and
/// without expiry), revokes, blocks, unblocks (fresh, replayed and stale serials), customer messages,
/// business messages of every category, and clock jumps forward and backward, near zero and near
/// 2^64; engine and model agree on every record's acceptance and every decision.
/// </summary>
public sealed class ConsentPolicyPropertyTests
{
    private const ulong Hour = 60UL * 60 * 1000;

    [Property(MaxTest = 500, EndSize = 300)]
    public void RandomEvents_EngineAndModel_AgreeOnEveryDecision(ulong start, byte[] script)
    {
        script ??= [];
        int position = 0;
        byte Next() => position < script.Length ? script[position++] : (byte)0;

        var model = new ConsentModel();
        ConsentState state = default;
        ulong now = start % 4 == 0 ? ulong.MaxValue - (start % (100 * Hour)) : start % (1UL << 50);
        ulong serial = 0;
        int step = 0;
        while (position < script.Length)
        {
            step++;
            switch (Next() % 8)
            {
                case 0:
                case 1:
                {
                    var action = (ConsentAction)(1 + (Next() % 4));
                    uint scopes = action == ConsentAction.Grant ? 1u + (Next() % 15u) : 0;
                    ulong expires = action == ConsentAction.Grant && Next() % 2 == 0 ? Saturating(now, (ulong)Next() * Hour / 4) : 0;
                    byte how = Next();
                    ulong recordSerial = (how % 4) switch
                    {
                        0 => serial, // a replay of the newest serial
                        1 => serial == 0 ? 0 : serial - 1 - (serial > 1 ? how % (serial - 1) : 0), // stale
                        _ => serial + 1 + (ulong)(how % 3), // fresh, with gaps
                    };
                    if (recordSerial == 0)
                    {
                        recordSerial = 1;
                    }

                    bool expected = model.Offer(new ModelRecord(action, scopes, recordSerial, expires));
                    bool applied = ConsentPolicy.TryApply(state, action, (ConsentScopes)scopes, recordSerial, expires, out ConsentState next);
                    Assert.True(expected == applied, $"step {step}: {action} serial {recordSerial} applied {applied}, model {expected}");
                    if (!applied)
                    {
                        Assert.Equal(state, next);
                    }

                    state = next;
                    serial = Math.Max(serial, recordSerial);
                    break;
                }

                case 2:
                    model.CustomerWrote(now);
                    state = ConsentPolicy.OpenWindow(state, now);
                    break;

                case 3:
                case 4:
                case 5:
                {
                    var category = (Category)(1 + (Next() % 4));
                    ConsentDecision expected = model.Decide(category, now);
                    ConsentDecision actual = ConsentPolicy.Decide(state, category, now);
                    Assert.True(expected == actual, $"step {step}: {category} at {now}: engine {actual}, model {expected} ({state})");
                    break;
                }

                default:
                {
                    byte jump = Next();
                    ulong by = (jump % 4) switch
                    {
                        0 => (ulong)Next() * 1000,
                        1 => (ulong)Next() * Hour / 2,
                        2 => ConsentPolicy.ServiceWindowMilliseconds - 1 + (ulong)(Next() % 3),
                        _ => (ulong)Next() * 24 * Hour,
                    };
                    now = jump >= 224 ? (now >= by ? now - by : 0) : Saturating(now, by);
                    break;
                }
            }
        }
    }

    private static ulong Saturating(ulong a, ulong b) => a > ulong.MaxValue - b ? ulong.MaxValue : a + b;
}
