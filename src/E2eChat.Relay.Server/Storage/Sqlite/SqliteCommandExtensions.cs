using Microsoft.Data.Sqlite;

namespace E2eChat.Relay.Server.Storage.Sqlite;

/// <summary>Small helpers for binding parameters fluently.</summary>
internal static class SqliteCommandExtensions
{
    /// <summary>Adds a parameter and returns the command.</summary>
    /// <param name="command">The command.</param>
    /// <param name="name">The parameter name, with its <c>$</c>.</param>
    /// <param name="value">The value.</param>
    /// <returns><paramref name="command"/>.</returns>
    internal static SqliteCommand With(this SqliteCommand command, string name, object value)
    {
        command.Parameters.AddWithValue(name, value);
        return command;
    }

    /// <summary>Adds the <c>$n</c> and <c>$d</c> parameters of a device.</summary>
    /// <param name="command">The command.</param>
    /// <param name="device">The device.</param>
    /// <returns><paramref name="command"/>.</returns>
    internal static SqliteCommand WithDevice(this SqliteCommand command, DeviceAddress device)
    {
        command.Parameters.AddWithValue("$n", device.Name);
        command.Parameters.AddWithValue("$d", device.Device);
        return command;
    }
}
