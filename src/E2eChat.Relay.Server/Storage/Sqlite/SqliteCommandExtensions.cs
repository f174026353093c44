using Microsoft.Data.Sqlite;

namespace E2eChat.Relay.Server.Storage.Sqlite;

/// <summary>The SQLite spelling of the device parameters (<see cref="DbCommandExtensions.With{TCommand}"/> binds the rest).</summary>
internal static class SqliteCommandExtensions
{
    /// <summary>Adds the <c>$n</c> and <c>$d</c> parameters of a device.</summary>
    /// <param name="command">The command.</param>
    /// <param name="device">The device.</param>
    /// <returns><paramref name="command"/>.</returns>
    internal static SqliteCommand WithDevice(this SqliteCommand command, DeviceAddress device) =>
        command.With("$n", device.Name).With("$d", device.Device);
}
