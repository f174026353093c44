using E2eChat.Wire;

namespace E2eChat.Tests.Consent;

/// <summary>
/// An independent model of PROTOCOL.md section 17, written from the spec's wording rather than from
/// the engine: it keeps the whole history (every record accepted, every customer message) and answers
/// each question by looking back over it, where the engine folds events into a small state.
/// </summary>
internal sealed class ConsentModel
{
    private readonly List<ModelRecord> _applied = [];
    private readonly List<ulong> _customerMessages = [];

    /// <summary>Offers a record; true when accepted (its serial beats every accepted one).</summary>
    public bool Offer(ModelRecord record)
    {
        if (_applied.Any(r => r.Serial >= record.Serial))
        {
            return false;
        }

        _applied.Add(record);
        return true;
    }

    /// <summary>The customer wrote at <paramref name="at"/>: counts unless blocked at that moment.</summary>
    public void CustomerWrote(ulong at)
    {
        if (!Blocked())
        {
            _customerMessages.Add(at);
        }
    }

    /// <summary>The decision for a business message, by the table read top to bottom.</summary>
    public ConsentDecision Decide(Category category, ulong at)
    {
        ulong windowEnd = _customerMessages.Count == 0 ? 0 : _customerMessages.Max(t => (ulong)Math.Min((decimal)t + ConsentPolicy.ServiceWindowMilliseconds, ulong.MaxValue));
        ModelRecord? grant = CurrentGrant();
        bool granted = grant is not null && (grant.Scopes & (1u << ((int)category - 1))) != 0;
        if (Blocked())
        {
            return ConsentDecision.Blocked;
        }

        if (at < windowEnd)
        {
            return ConsentDecision.Deliver;
        }

        if (granted)
        {
            return grant!.ExpiresAt == 0 || at < grant.ExpiresAt ? ConsentDecision.Deliver : ConsentDecision.Expired;
        }

        if (_applied.Count > 0 && _applied[^1].Action == ConsentAction.Revoke)
        {
            return ConsentDecision.Revoked;
        }

        return category == Category.Service && _customerMessages.Count > 0 ? ConsentDecision.WindowClosed : ConsentDecision.NoConsent;
    }

    private bool Blocked()
    {
        int lastBlock = _applied.FindLastIndex(r => r.Action == ConsentAction.Block);
        int lastUnblock = _applied.FindLastIndex(r => r.Action == ConsentAction.Unblock);
        return lastBlock > lastUnblock;
    }

    // The newest grant that no later revoke or block cancelled (an unblock cancels nothing).
    private ModelRecord? CurrentGrant()
    {
        for (int i = _applied.Count - 1; i >= 0; i--)
        {
            switch (_applied[i].Action)
            {
                case ConsentAction.Grant:
                    return _applied[i];
                case ConsentAction.Revoke:
                case ConsentAction.Block:
                    return null;
            }
        }

        return null;
    }
}

/// <summary>A consent record's policy-relevant values, as the model sees them.</summary>
internal sealed record ModelRecord(ConsentAction Action, uint Scopes, ulong Serial, ulong ExpiresAt);
