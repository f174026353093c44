using Microsoft.Extensions.Options;

namespace E2eChat.Relay.Server.Hosting;

/// <summary>Deletes expired messages (status posts after their expiry), dedup keys and used challenges every sweep interval.</summary>
internal sealed partial class ExpirySweeper : BackgroundService
{
    private readonly IRelayStore _store;
    private readonly TimeProvider _time;
    private readonly RelayOptions _options;
    private readonly ILogger<ExpirySweeper> _logger;

    /// <summary>Creates the sweeper.</summary>
    public ExpirySweeper(IRelayStore store, TimeProvider time, IOptions<RelayOptions> options, ILogger<ExpirySweeper> logger)
    {
        _store = store;
        _time = time;
        _options = options.Value;
        _logger = logger;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_options.SweepInterval, _time, stoppingToken).ConfigureAwait(false);
                ExpiryCounts counts = await _store.DeleteExpiredAsync(_time.GetUtcNow().ToUnixTimeMilliseconds(), stoppingToken).ConfigureAwait(false);
                if (counts.Messages + counts.DedupRecords + counts.Challenges > 0)
                {
                    LogSwept(_logger, counts.Messages, counts.DedupRecords, counts.Challenges);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException or IOException)
            {
                LogSweepFailed(_logger, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Expiry sweep deleted {Messages} messages, {Dedup} dedup keys, {Challenges} used challenges")]
    private static partial void LogSwept(ILogger logger, int messages, int dedup, int challenges);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Expiry sweep failed; retrying next interval")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
