using System.Globalization;
using System.Text.Json;
using E2eChat.Wire;

namespace E2eChat.Cli.Vectors;

/// <summary>
/// <c>consent-decisions.json</c>: sequences of events for one (customer, business) pair replayed
/// through the consent policy (PROTOCOL.md 17.2-17.6): each record's result, each business message's
/// decision and whether it is billed, the final state and the ledger. Hand-written scenarios for every
/// rule, then random sequences from fixed seeds.
/// </summary>
internal sealed class ConsentDecisionVectors() : SynchronousVectorSuite(File)
{
    private const string File = "consent-decisions.json";
    private const string PairCustomer = "alice";
    private const string PairBusiness = "acme.shoes";
    private const ulong T0 = VectorClock.Start;
    private const ulong Hour = 3_600_000;
    private const ulong Day = ConsentPolicy.ServiceWindowMilliseconds;
    private const ulong MaxExactJsonNumber = (1UL << 53) - 1;
    private const int RandomSequences = 12;
    private const int RandomEvents = 48;

    private static readonly Category[] s_categories = [Category.Service, Category.Utility, Category.Marketing, Category.Authentication];

    /// <inheritdoc/>
    private protected override List<JsonObject> Generate()
    {
        var vectors = new List<JsonObject>();
        foreach ((string name, Func<Script, Script> build) in Scenarios())
        {
            vectors.Add(Run(name, build(new Script(name)).Events));
        }

        for (int i = 0; i < RandomSequences; i++)
        {
            string name = $"random_{i:D2}";
            using DeterministicRandomSource random = VectorSeeds.For(File, name);
            vectors.Add(Run(name, RandomScript(name, random).Events));
        }

        return vectors;
    }

    /// <inheritdoc/>
    private protected override void Verify(string kind, string name, JsonObject vector)
    {
        if (kind != "consent_sequence")
        {
            throw UnknownKind(kind);
        }

        var events = new List<JsonObject>();
        foreach (JsonNode? node in VectorJson.Array(vector, "events"))
        {
            JsonObject e = node as JsonObject ?? throw new VectorFormatException("events: not an object");
            events.Add(InputsOf(e));
        }

        Outputs.Compare(vector, Run(name, events));
    }

    private static IEnumerable<(string Name, Func<Script, Script> Build)> Scenarios()
    {
        // First: it ends with a delivered retry, so a changed message id changes an output (billed).
        yield return ("billing_once_per_message_id", s => s.Customer(T0).Business(Category.Service, T0 + 1, "a").Business(Category.Service, T0 + 2, "a").Business(Category.Marketing, T0 + Day, "b").Grant(1, ConsentScopes.Marketing, T0 + Day + 1, 0).Business(Category.Marketing, T0 + Day + 2, "b").Business(Category.Marketing, T0 + Day + 3, "b").Business(Category.Utility, T0 + (2 * Day), "c").Business(Category.Marketing, T0 + (2 * Day) + 1, "b"));
        yield return ("nothing_happened", s => s.AllCategories(T0));
        yield return ("window_opens_and_closes", s => s.Customer(T0).AllCategories(T0 + 1).AllCategories(T0 + Day - 1).AllCategories(T0 + Day));
        yield return ("window_renewed_by_later_message", s => s.Customer(T0).Customer(T0 + (20 * Hour)).Business(Category.Marketing, T0 + Day).Business(Category.Service, T0 + (44 * Hour) - 1).Business(Category.Service, T0 + (44 * Hour)));
        yield return ("window_earlier_message_keeps_later_end", s => s.Customer(T0 + Hour).Customer(T0).Business(Category.Utility, T0 + Day).Business(Category.Utility, T0 + Day + Hour));
        yield return ("grant_with_expiry", s => s.Grant(1, ConsentScopes.Utility | ConsentScopes.Marketing, T0, T0 + (30 * Day)).AllCategories(T0 + 1).AllCategories(T0 + (30 * Day) - 1).AllCategories(T0 + (30 * Day)));
        yield return ("grant_without_expiry", s => s.Grant(1, ConsentScopes.Authentication, T0, 0).AllCategories(T0 + (3650 * Day)));
        yield return ("grant_replaced_by_narrower_grant", s => s.Grant(1, ConsentScopes.All, T0, 0).AllCategories(T0 + 1).Grant(2, ConsentScopes.Utility, T0 + 2, 0).AllCategories(T0 + 3));
        yield return ("revoke_then_window", s => s.Grant(1, ConsentScopes.Marketing, T0, 0).Business(Category.Marketing, T0 + 1).Record(2, ConsentAction.Revoke, T0 + 2).AllCategories(T0 + 3).Customer(T0 + 4).AllCategories(T0 + 5).AllCategories(T0 + 4 + Day));
        yield return ("block_beats_window_and_grant", s => s.Grant(1, ConsentScopes.All, T0, 0).Customer(T0).Record(2, ConsentAction.Block, T0 + 1).AllCategories(T0 + 2).Customer(T0 + Day).AllCategories(T0 + Day + 1));
        yield return ("unblock_leaves_scopes_cleared", s => s.Grant(1, ConsentScopes.All, T0, 0).Record(2, ConsentAction.Block, T0 + 1).Record(3, ConsentAction.Unblock, T0 + 2).AllCategories(T0 + 3).Customer(T0 + 4).AllCategories(T0 + 5));
        yield return ("grant_while_blocked_counts_after_unblock", s => s.Record(1, ConsentAction.Block, T0).Grant(2, ConsentScopes.Utility, T0 + 1, 0).Business(Category.Utility, T0 + 2).Record(3, ConsentAction.Unblock, T0 + 3).AllCategories(T0 + 4));
        yield return ("stale_and_replayed_serials", s => s.Grant(5, ConsentScopes.Utility, T0, 0).Record(5, ConsentAction.Block, T0 + 1).Record(4, ConsentAction.Revoke, T0 + 2).Grant(1, ConsentScopes.All, T0 + 3, 0).AllCategories(T0 + 4).Record(9, ConsentAction.Revoke, T0 + 5).Grant(9, ConsentScopes.All, T0 + 6, 0).AllCategories(T0 + 7));
        yield return ("wrong_pair", s => s.ForPair("alice", "other.shop").Record(1, ConsentAction.Block, T0).ForPair("mallory", PairBusiness).Record(2, ConsentAction.Block, T0).ForPair(PairCustomer, PairBusiness).Grant(1, ConsentScopes.Marketing, T0, 0).AllCategories(T0 + 1));
        yield return ("clock_going_backwards", s => s.Customer(T0 + (10 * Day)).Business(Category.Marketing, T0).Business(Category.Marketing, T0 + (11 * Day)).Grant(1, ConsentScopes.Utility, T0, T0 + Day).Business(Category.Utility, T0 + (11 * Day)).Business(Category.Utility, T0 + Hour));
        yield return ("times_near_u64_max", s => s.Customer(ulong.MaxValue - Hour).AllCategories(ulong.MaxValue - 1).AllCategories(ulong.MaxValue).Grant(1, ConsentScopes.Service, ulong.MaxValue - 10, ulong.MaxValue).Business(Category.Service, ulong.MaxValue));
        yield return ("times_near_zero", s => s.Customer(1).Business(Category.Marketing, 0).Business(Category.Marketing, Day).Business(Category.Service, Day + 1));
    }

    private static Script RandomScript(string name, RandomSource random)
    {
        var script = new Script(name);
        ulong now = T0;
        ulong serial = 0;
        Span<byte> b = stackalloc byte[4];
        for (int i = 0; i < RandomEvents; i++)
        {
            random.Fill(b);
            switch (b[0] % 8)
            {
                case 0:
                case 1:
                    var action = (ConsentAction)(1 + (b[1] % 4));
                    ulong recordSerial = b[2] % 5 == 0 && serial > 1 ? serial - (ulong)(b[3] % 2) : serial + 1;
                    serial = Math.Max(serial, recordSerial);
                    script = action == ConsentAction.Grant
                        ? script.Grant(recordSerial, (ConsentScopes)(1 + (b[3] % 15)), now, b[2] % 2 == 0 ? 0 : now + ((1 + (ulong)b[3]) * Hour))
                        : script.Record(recordSerial, action, now);
                    break;
                case 2:
                    script = script.Customer(now);
                    break;
                case 3:
                case 4:
                case 5:
                    script = script.Business(s_categories[b[1] % 4], now, ((char)('a' + (b[2] % 6))).ToString());
                    break;
                default:
                    ulong by = (b[1] % 3) switch
                    {
                        0 => (ulong)b[2] * 60_000,
                        1 => (ulong)b[2] * Hour,
                        _ => Day - 1 + (ulong)(b[2] % 3),
                    };
                    now = b[3] >= 240 && now > by ? now - by : now + by;
                    break;
            }
        }

        return script;
    }

    // Runs the inputs of a sequence and returns the whole vector (inputs and outputs).
    private static JsonObject Run(string name, IReadOnlyList<JsonObject> inputs)
    {
        ConsentState state = default;
        var billed = new HashSet<string>(StringComparer.Ordinal);
        var ledger = new SortedDictionary<(ulong Day, Category Category), ulong>();
        var events = new JsonArray();
        foreach (JsonObject input in inputs)
        {
            JsonObject e = (JsonObject)input.DeepClone();
            switch (VectorJson.String(e, "event"))
            {
                case "record":
                    ConsentAction action = ParseAction(VectorJson.String(e, "action"));
                    string result;
                    if (VectorJson.String(e, "customer") != PairCustomer || VectorJson.String(e, "business") != PairBusiness)
                    {
                        result = "WrongPair";
                    }
                    else
                    {
                        result = ConsentPolicy.TryApply(state, action, (ConsentScopes)VectorJson.UInt32(e, "scopes"), U64(e, "serial"), U64(e, "expires_at_ms"), out state) ? "Applied" : "StaleSerial";
                    }

                    e["result"] = result;
                    break;
                case "customer_message":
                    state = ConsentPolicy.OpenWindow(state, U64(e, "at_ms"));
                    break;
                case "business_message":
                    Category category = ParseCategory(VectorJson.String(e, "category"));
                    ulong at = U64(e, "at_ms");
                    ConsentDecision decision = ConsentPolicy.Decide(state, category, at);
                    bool bill = decision == ConsentDecision.Deliver && billed.Add(VectorJson.String(e, "message_id"));
                    if (bill)
                    {
                        ledger[(at / Day, category)] = ledger.GetValueOrDefault((at / Day, category)) + 1;
                    }

                    e["decision"] = decision.ToString();
                    e["billed"] = bill;
                    break;
                default:
                    throw new VectorFormatException("event: unknown");
            }

            events.Add(e);
        }

        var rows = new JsonArray();
        foreach (((ulong day, Category category), ulong count) in ledger)
        {
            rows.Add(new JsonObject { ["day"] = Number(day), ["category"] = CategoryName(category), ["count"] = Number(count) });
        }

        return new JsonObject
        {
            ["name"] = name,
            ["kind"] = "consent_sequence",
            ["customer"] = PairCustomer,
            ["business"] = PairBusiness,
            ["events"] = events,
            ["state"] = new JsonObject
            {
                ["serial"] = Number(state.Serial),
                ["last_action"] = state.LastAction.ToString().ToUpperInvariant(),
                ["blocked"] = state.IsBlocked,
                ["scopes"] = (uint)state.Scopes,
                ["grant_expires_at_ms"] = Number(state.GrantExpiresAtMilliseconds),
                ["window_until_ms"] = Number(state.WindowUntilMilliseconds),
            },
            ["ledger"] = rows,
        };
    }

    // The input fields of an event as the vector gives them (outputs dropped, recomputed by Run).
    private static JsonObject InputsOf(JsonObject e)
    {
        string type = VectorJson.String(e, "event");
        string[] fields = type switch
        {
            "record" => ["event", "customer", "business", "action", "scopes", "serial", "issued_at_ms", "expires_at_ms"],
            "customer_message" => ["event", "at_ms"],
            "business_message" => ["event", "category", "at_ms", "message_id"],
            _ => throw new VectorFormatException($"event: unknown '{type}'"),
        };
        var input = new JsonObject();
        foreach (string field in fields)
        {
            input[field] = (e[field] ?? throw new VectorFormatException($"missing field '{field}'")).DeepClone();
        }

        return input;
    }

    // A u64 is a JSON number when exact in a double (below 2^53), else a decimal string.
    private static JsonValue Number(ulong value) => value <= MaxExactJsonNumber ? JsonValue.Create(value) : JsonValue.Create(value.ToString(CultureInfo.InvariantCulture));

    private static ulong U64(JsonObject e, string field)
    {
        JsonNode node = e[field] ?? throw new VectorFormatException($"missing field '{field}'");
        return node.GetValueKind() == JsonValueKind.String
            ? ulong.Parse(node.GetValue<string>(), NumberStyles.None, CultureInfo.InvariantCulture)
            : VectorJson.UInt64(e, field);
    }

    private static string CategoryName(Category category) => category.ToString().ToUpperInvariant();

    private static Category ParseCategory(string name)
    {
        foreach (Category c in s_categories)
        {
            if (CategoryName(c) == name)
            {
                return c;
            }
        }

        throw new VectorFormatException($"category: unknown '{name}'");
    }

    private static ConsentAction ParseAction(string name) => name switch
    {
        "GRANT" => ConsentAction.Grant,
        "REVOKE" => ConsentAction.Revoke,
        "BLOCK" => ConsentAction.Block,
        "UNBLOCK" => ConsentAction.Unblock,
        _ => throw new VectorFormatException($"action: unknown '{name}'"),
    };

    /// <summary>A scenario being written: its input events, in order.</summary>
    private sealed class Script(string name)
    {
        private readonly string _name = name;
        private string _customer = PairCustomer;
        private string _business = PairBusiness;
        private int _messages;

        public List<JsonObject> Events { get; } = [];

        public Script ForPair(string customer, string business)
        {
            _customer = customer;
            _business = business;
            return this;
        }

        public Script Grant(ulong serial, ConsentScopes scopes, ulong issuedAt, ulong expiresAt) => Add(serial, ConsentAction.Grant, scopes, issuedAt, expiresAt);

        public Script Record(ulong serial, ConsentAction action, ulong issuedAt) => Add(serial, action, ConsentScopes.None, issuedAt, 0);

        public Script Customer(ulong at)
        {
            Events.Add(new JsonObject { ["event"] = "customer_message", ["at_ms"] = Number(at) });
            return this;
        }

        public Script Business(Category category, ulong at, string? id = null)
        {
            // Message ids are 16 bytes derived from the scenario and a tag (a repeated tag is a retry).
            id ??= $"m{_messages++}";
            byte[] messageId = VectorSeeds.Seed(File, $"{_name}/{id}")[..16];
            Events.Add(new JsonObject
            {
                ["event"] = "business_message",
                ["category"] = CategoryName(category),
                ["at_ms"] = Number(at),
                ["message_id"] = Hex.Encode(messageId),
            });
            return this;
        }

        public Script AllCategories(ulong at)
        {
            foreach (Category c in s_categories)
            {
                Business(c, at);
            }

            return this;
        }

        private Script Add(ulong serial, ConsentAction action, ConsentScopes scopes, ulong issuedAt, ulong expiresAt)
        {
            Events.Add(new JsonObject
            {
                ["event"] = "record",
                ["customer"] = _customer,
                ["business"] = _business,
                ["action"] = action.ToString().ToUpperInvariant(),
                ["scopes"] = (uint)scopes,
                ["serial"] = Number(serial),
                ["issued_at_ms"] = Number(issuedAt),
                ["expires_at_ms"] = Number(expiresAt),
            });
            return this;
        }
    }
}
