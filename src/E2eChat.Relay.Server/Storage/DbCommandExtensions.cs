using System.Data.Common;

namespace E2eChat.Relay.Server.Storage;

/// <summary>Binds parameters fluently on either store's commands (SQLite and PostgreSQL).</summary>
internal static class DbCommandExtensions
{
    /// <summary>Adds a parameter and returns the command.</summary>
    /// <typeparam name="TCommand">The provider's command type.</typeparam>
    /// <param name="command">The command.</param>
    /// <param name="name">The parameter name as the provider spells it (SQLite with its <c>$</c>, PostgreSQL without its <c>@</c>).</param>
    /// <param name="value">The value.</param>
    /// <returns><paramref name="command"/>.</returns>
    internal static TCommand With<TCommand>(this TCommand command, string name, object value)
        where TCommand : DbCommand
    {
        DbParameter parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
        return command;
    }
}
