using E2eChat.Wire;

namespace E2eChat;

/// <summary>
/// Builds every exception the library throws (the NSec pattern): an <see cref="E2eChatException"/>
/// for hostile or corrupt input, argument exceptions for caller mistakes. It also maps the keyless wire
/// layer's failures onto <see cref="E2eChatFailure"/>: each <see cref="EnvelopeFailure"/> and
/// <see cref="ConsentFailure"/> becomes the member of the same name (checked by a test for every value).
/// </summary>
internal static class Error
{
    private static readonly E2eChatFailure[] s_fromEnvelope = MapByName<EnvelopeFailure>();
    private static readonly E2eChatFailure[] s_fromConsent = MapByName<ConsentFailure>();

    /// <summary>The exception carrying <paramref name="failure"/>.</summary>
    /// <param name="failure">The failure (not <see cref="E2eChatFailure.None"/>).</param>
    /// <returns>The exception to throw.</returns>
    internal static E2eChatException Of(E2eChatFailure failure) => new(failure);

    /// <summary>The exception carrying the failure of the same name as a wire layer's envelope failure.</summary>
    /// <param name="failure">The wire failure.</param>
    /// <returns>The exception to throw.</returns>
    internal static E2eChatException Of(EnvelopeFailure failure) => new(From(failure));

    /// <summary>The failure of the same name as an envelope failure of the wire layer.</summary>
    /// <param name="failure">The wire failure.</param>
    /// <returns>The library's failure (<see cref="E2eChatFailure.None"/> for <see cref="EnvelopeFailure.None"/>).</returns>
    internal static E2eChatFailure From(EnvelopeFailure failure) => s_fromEnvelope[(int)failure];

    /// <summary>The failure of the same name as a consent failure of the wire layer.</summary>
    /// <param name="failure">The wire failure.</param>
    /// <returns>The library's failure (<see cref="E2eChatFailure.None"/> for <see cref="ConsentFailure.None"/>).</returns>
    internal static E2eChatFailure From(ConsentFailure failure) => s_fromConsent[(int)failure];

    /// <summary>Throws when <paramref name="value"/> is not exactly <paramref name="expected"/> bytes (a caller mistake).</summary>
    /// <param name="value">The value.</param>
    /// <param name="expected">The required length.</param>
    /// <param name="name">The parameter's name.</param>
    /// <exception cref="ArgumentException">The length differs.</exception>
    internal static void CheckLength(ReadOnlySpan<byte> value, int expected, string name) => CheckLength(value.Length, expected, name);

    /// <summary>Throws when <paramref name="length"/> is not <paramref name="expected"/> (a caller mistake).</summary>
    /// <param name="length">The length given.</param>
    /// <param name="expected">The required length.</param>
    /// <param name="name">The parameter's name.</param>
    /// <exception cref="ArgumentException">The length differs.</exception>
    internal static void CheckLength(int length, int expected, string name)
    {
        if (length != expected)
        {
            throw WrongLength(expected, name);
        }
    }

    /// <summary>
    /// The exception for a value that is not exactly <paramref name="expected"/> bytes. Hot paths compare
    /// the length inline and call this only to throw, so a passing check costs no call.
    /// </summary>
    /// <param name="expected">The required length.</param>
    /// <param name="name">The parameter's name.</param>
    /// <returns>The exception to throw.</returns>
    internal static ArgumentException WrongLength(int expected, string name) => new($"Expected {expected} bytes.", name);

    /// <summary>
    /// The exception for an output buffer <paramref name="name"/> that overlaps the input
    /// <paramref name="inputName"/>; for hot paths that test the overlap inline.
    /// </summary>
    /// <param name="name">The output parameter's name.</param>
    /// <param name="inputName">The input parameter's name.</param>
    /// <returns>The exception to throw.</returns>
    internal static ArgumentException Overlap(string name, string inputName) => new($"The {name} must not overlap the {inputName}.", name);

    /// <summary>Throws when <paramref name="value"/> is shorter than <paramref name="minimum"/> bytes (a caller mistake).</summary>
    /// <param name="value">The value (an output buffer, usually).</param>
    /// <param name="minimum">The least length.</param>
    /// <param name="name">The parameter's name.</param>
    /// <exception cref="ArgumentException">The value is too short.</exception>
    internal static void CheckMinimumLength(ReadOnlySpan<byte> value, int minimum, string name)
    {
        if (value.Length < minimum)
        {
            throw new ArgumentException($"Expected at least {minimum} bytes.", name);
        }
    }

    /// <summary>Throws when the output <paramref name="value"/> overlaps <paramref name="input"/> (a caller mistake).</summary>
    /// <param name="value">The output buffer.</param>
    /// <param name="input">An input it must not share memory with.</param>
    /// <param name="name">The output parameter's name.</param>
    /// <param name="inputName">The input parameter's name.</param>
    /// <exception cref="ArgumentException">The two overlap.</exception>
    internal static void CheckNoOverlap(ReadOnlySpan<byte> value, ReadOnlySpan<byte> input, string name, string inputName)
    {
        if (value.Overlaps(input))
        {
            throw Overlap(name, inputName);
        }
    }

    private static E2eChatFailure[] MapByName<TWire>()
        where TWire : struct, Enum
    {
        TWire[] values = Enum.GetValues<TWire>();
        var map = new E2eChatFailure[values.Length];
        foreach (TWire value in values)
        {
            map[Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture)] = Enum.Parse<E2eChatFailure>(value.ToString());
        }

        return map;
    }
}
