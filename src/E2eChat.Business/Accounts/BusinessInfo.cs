namespace E2eChat;

/// <summary>
/// What an application shows about an account before and while a customer writes to it (PROTOCOL.md
/// section 14.3): whose devices read the messages, including hosted endpoints run by another company.
/// </summary>
public sealed class BusinessInfo
{
    private BusinessInfo(DeviceList list, string[] processors)
    {
        Devices = list;
        Processors = processors;
        EndToEnd = processors.Length == 0 ? EndToEnd.ToBusiness : EndToEnd.ToProcessor;
    }

    /// <summary>The account name.</summary>
    public string Account => Devices.Account;

    /// <summary><see cref="EndToEnd.ToBusiness"/>, or <see cref="EndToEnd.ToProcessor"/> when any device is hosted.</summary>
    public EndToEnd EndToEnd { get; }

    /// <summary>The distinct companies running hosted devices, in list order; empty for <see cref="EndToEnd.ToBusiness"/>.</summary>
    public IReadOnlyList<string> Processors { get; }

    /// <summary>The accepted device list it was computed from (who runs each device).</summary>
    public DeviceList Devices { get; }

    /// <summary>Computes the information of a verified list.</summary>
    /// <param name="list">The list.</param>
    /// <returns>The information.</returns>
    public static BusinessInfo From(DeviceList list)
    {
        ArgumentNullException.ThrowIfNull(list);
        string[] processors = [.. list.Devices.Where(d => d.Role == DeviceRole.Hosted).Select(d => d.Processor!).Distinct(StringComparer.Ordinal)];
        return new BusinessInfo(list, processors);
    }

    /// <summary>The vector form of section 14.5: <c>ToBusiness</c> or <c>ToProcessor:name,name</c>.</summary>
    internal static string Describe(DeviceList list)
    {
        BusinessInfo info = From(list);
        return info.EndToEnd == EndToEnd.ToBusiness ? "ToBusiness" : $"ToProcessor:{string.Join(',', info.Processors)}";
    }

    /// <summary>For example <c>acme-shoes: end-to-end to the business</c>.</summary>
    /// <returns>A description for people.</returns>
    public override string ToString() => EndToEnd == EndToEnd.ToBusiness
        ? $"{Account}: end-to-end to the business"
        : $"{Account}: end-to-end to the business and to {string.Join(", ", Processors)} (hosted)";
}
