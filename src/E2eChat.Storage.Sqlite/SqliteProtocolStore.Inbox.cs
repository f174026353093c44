using Microsoft.Data.Sqlite;

namespace E2eChat.Storage.Sqlite;

/// <summary>
/// The inbox: what a client received and committed but has not yet handed to the application, sealed
/// like every other value. Written in the same transaction as the session change that decrypted it
/// (<see cref="RunInTransactionAsync"/>), so a process killed after the commit still has the message.
/// </summary>
public sealed partial class SqliteProtocolStore
{
    /// <summary>
    /// The most entries the inbox holds: far more than a client keeps between receiving and handing
    /// over (one at a time), and a bound on what a stuck application lets accumulate.
    /// </summary>
    public const int MaxInboxEntries = 100_000;

    /// <summary>Adds an entry (sealed) and returns its id; ids grow with every entry while the inbox is not empty, so they give the order of arrival.</summary>
    /// <param name="entry">The entry's bytes (opaque to the store).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The entry's id (positive).</returns>
    /// <exception cref="InvalidOperationException">The inbox holds <see cref="MaxInboxEntries"/> entries.</exception>
    public ValueTask<long> AddInboxEntryAsync(ReadOnlyMemory<byte> entry, CancellationToken cancellationToken = default) =>
        RunAsync(
            () =>
            {
                using SqliteCommand next = Command("SELECT count(*), coalesce(max(id), 0) + 1 FROM inbox");
                long count;
                long id;
                using (SqliteDataReader reader = next.ExecuteReader())
                {
                    reader.Read();
                    count = Integer(reader.GetValue(0));
                    id = Integer(reader.GetValue(1));
                }

                if (count >= MaxInboxEntries || id > uint.MaxValue)
                {
                    throw new InvalidOperationException("The inbox is full: hand its entries over first.");
                }

                using SqliteCommand insert = Command("INSERT INTO inbox (id, value) VALUES (@id, @value)");
                insert.Parameters.AddWithValue("@id", id);
                insert.Parameters.AddWithValue("@value", _sealer.Seal(StoreTable.Inbox, RowSealer.IdRowKey((uint)id), entry.Span));
                insert.ExecuteNonQuery();
                return id;
            },
            cancellationToken);

    /// <summary>Every inbox entry, oldest first.</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The entries by id (opened; a changed value fails with <see cref="E2eChatFailure.Unauthentic"/>).</returns>
    public ValueTask<IReadOnlyList<KeyValuePair<long, byte[]>>> LoadInboxAsync(CancellationToken cancellationToken = default) =>
        RunAsync<IReadOnlyList<KeyValuePair<long, byte[]>>>(
            () =>
            {
                using SqliteCommand command = Command("SELECT id, value FROM inbox ORDER BY id");
                using SqliteDataReader reader = command.ExecuteReader();
                var entries = new List<KeyValuePair<long, byte[]>>();
                while (reader.Read())
                {
                    long id = Integer(reader.GetValue(0));
                    if (id is <= 0 or > uint.MaxValue || Blob(reader.GetValue(1)) is not { } sealedValue)
                    {
                        throw new E2eChatException(E2eChatFailure.Corrupt);
                    }

                    entries.Add(new(id, _sealer.Open(StoreTable.Inbox, RowSealer.IdRowKey((uint)id), sealedValue)));
                }

                return entries;
            },
            cancellationToken);

    /// <summary>Removes an entry (handed over).</summary>
    /// <param name="id">The entry's id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>Whether it was there.</returns>
    public ValueTask<bool> RemoveInboxEntryAsync(long id, CancellationToken cancellationToken = default) =>
        RunAsync(
            () =>
            {
                using SqliteCommand command = Command("DELETE FROM inbox WHERE id = @id");
                command.Parameters.AddWithValue("@id", id);
                return command.ExecuteNonQuery() == 1;
            },
            cancellationToken);
}
