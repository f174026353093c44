using Npgsql;

namespace E2eChat.Relay.Server.Storage.Postgres;

/// <summary>Small helpers for binding parameters fluently.</summary>
internal static class NpgsqlCommandExtensions
{
    /// <summary>Adds a parameter and returns the command.</summary>
    /// <param name="command">The command.</param>
    /// <param name="name">The parameter name, without its <c>@</c>.</param>
    /// <param name="value">The value.</param>
    /// <returns><paramref name="command"/>.</returns>
    internal static NpgsqlCommand With(this NpgsqlCommand command, string name, object value)
    {
        command.Parameters.AddWithValue(name, value);
        return command;
    }

    /// <summary>Adds the <c>@n</c> and <c>@d</c> parameters of a device.</summary>
    /// <param name="command">The command.</param>
    /// <param name="device">The device.</param>
    /// <returns><paramref name="command"/>.</returns>
    internal static NpgsqlCommand WithDevice(this NpgsqlCommand command, DeviceAddress device)
    {
        command.Parameters.AddWithValue("n", device.Name);
        command.Parameters.AddWithValue("d", device.Device);
        return command;
    }
}
