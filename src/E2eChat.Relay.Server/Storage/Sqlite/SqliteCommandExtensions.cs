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

    /// <summary>
    /// Sets the value of the parameter at <paramref name="index"/>, adding it (named <paramref name="name"/>)
    /// on the command's first use: a statement the writer runs again and again keeps its parameter
    /// objects and only changes their values. Bind in the same order with the same names on every use.
    /// </summary>
    /// <param name="command">The command (from the store's cache of reused statements).</param>
    /// <param name="index">The parameter's position in the command's collection.</param>
    /// <param name="name">Its name, with its <c>$</c>.</param>
    /// <param name="value">The value.</param>
    /// <returns><paramref name="command"/>.</returns>
    internal static SqliteCommand Bind(this SqliteCommand command, int index, string name, object value)
    {
        SqliteParameterCollection parameters = command.Parameters;
        if (index < parameters.Count)
        {
            parameters[index].Value = value;
        }
        else
        {
            parameters.Add(new SqliteParameter(name, value));
        }

        return command;
    }
}
