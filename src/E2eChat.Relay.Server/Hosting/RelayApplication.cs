using System.Net;
using System.Security.Cryptography;
using E2eChat.Relay.Server.Accounts;
using E2eChat.Relay.Server.Billing;
using E2eChat.Relay.Server.Keys;
using E2eChat.Relay.Server.Messaging;
using E2eChat.Relay.Server.Policy;
using E2eChat.Relay.Server.Storage.Postgres;
using E2eChat.Relay.Server.Storage.Sqlite;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace E2eChat.Relay.Server.Hosting;

/// <summary>Builds and starts the relay: configuration, Kestrel (HTTP/2), services, store and secrets.</summary>
internal static partial class RelayApplication
{
    /// <summary>Builds the relay and initializes its store and secrets; the caller runs it.</summary>
    /// <param name="args">Command-line arguments (configuration overrides such as <c>--Relay:Listen=127.0.0.1:0</c>).</param>
    /// <param name="configureServices">Test hooks: replace services (time, policy, admission) after the defaults.</param>
    /// <param name="cancellationToken">Cancels initialization.</param>
    /// <returns>The application, not yet started.</returns>
    internal static async Task<WebApplication> CreateAsync(string[] args, Action<IServiceCollection>? configureServices = null, CancellationToken cancellationToken = default)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        IConfigurationSection section = builder.Configuration.GetSection(RelayOptions.SectionName);
        RelayOptions options = section.Get<RelayOptions>() ?? new RelayOptions();
        Validate(options);
        builder.Services.AddOptions<RelayOptions>().Bind(section);
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(10));

        IPEndPoint endpoint = IPEndPoint.Parse(options.Listen);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(endpoint, listen => listen.Protocols = HttpProtocols.Http2);
            kestrel.Limits.Http2.MaxStreamsPerConnection = options.MaxStreamsPerConnection;
            kestrel.Limits.Http2.KeepAlivePingDelay = TimeSpan.FromSeconds(30);
            kestrel.Limits.Http2.KeepAlivePingTimeout = TimeSpan.FromSeconds(20);
            kestrel.Limits.MaxRequestBodySize = RelayServerLimits.MaxRequestBytes;
        });

        IServiceCollection services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        if (options.Store == RelayStoreKind.Postgres)
        {
            // Every node LISTENs for the others' stores; the signal is also a hosted service.
            services.AddSingleton(_ => CreatePostgresStore(options));
            services.AddSingleton<IRelayStore>(sp => sp.GetRequiredService<ShardedRelayStore>());
            services.AddSingleton<PostgresQueueSignal>();
            services.AddSingleton<IQueueSignal>(sp => sp.GetRequiredService<PostgresQueueSignal>());
            services.AddSingleton<IReceiveStreamAnnouncer>(sp => sp.GetRequiredService<PostgresQueueSignal>());
            services.AddHostedService(sp => sp.GetRequiredService<PostgresQueueSignal>());
        }
        else
        {
            services.AddSingleton<IRelayStore>(_ => new SqliteRelayStore(options.DataDirectory, options.SqliteSynchronous));
            services.AddSingleton<IQueueSignal, InProcessQueueSignal>();
            services.AddSingleton<IReceiveStreamAnnouncer, SingleNodeStreamAnnouncer>();
        }

        services.AddSingleton<IDeliveryPolicy, ConsentDeliveryPolicy>();
        services.AddSingleton<IDeviceAdmission, FirstComeDeviceAdmission>();
        services.AddSingleton(sp => new PairRateLimiter(sp.GetRequiredService<TimeProvider>(), options.RateLimitBurst, options.RateLimitPerSecond));
        services.AddSingleton<RelaySecrets>();
        services.AddSingleton<ChallengeIssuer>();
        services.AddSingleton<TokenIssuer>();
        services.AddSingleton<ReceiveStreamRegistry>();
        services.AddSingleton<AuthInterceptor>();

        // Resolved from the container, the service is not built again for every call (its
        // dependencies are all singletons).
        services.AddSingleton<MessagingService>();
        services.AddHostedService<ExpirySweeper>();
        services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = RelayServerLimits.MaxRequestBytes;
            grpc.MaxSendMessageSize = RelayServerLimits.MaxRequestBytes;
            grpc.EnableDetailedErrors = false;
            grpc.Interceptors.Add<AuthInterceptor>();
        });
        StrictServiceMethods.Register(services);
        services.AddGrpcHealthChecks().AddCheck<StoreHealthCheck>("store");
        configureServices?.Invoke(services);

        WebApplication app = builder.Build();
        app.MapGrpcService<AuthService>();
        app.MapGrpcService<KeysService>();
        app.MapGrpcService<MessagingService>();
        app.MapGrpcService<BillingService>();
        app.MapGrpcService<AccountsService>();
        app.MapGrpcHealthChecksService();

        IRelayStore store = app.Services.GetRequiredService<IRelayStore>();
        await store.InitializeAsync(cancellationToken).ConfigureAwait(false);
        await LoadSecretsAsync(app.Services.GetRequiredService<RelaySecrets>(), options, store, cancellationToken).ConfigureAwait(false);

        ILogger logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("E2eChat.Relay.Server");
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            if (logger.IsEnabled(LogLevel.Information))
            {
                ICollection<string>? addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
                string listening = string.Join(", ", addresses ?? []);
                string store = DescribeStore(options);
                LogListening(logger, listening, store);
            }
        });
        app.Lifetime.ApplicationStopped.Register(() => LogStopped(logger));
        return app;
    }

    /// <summary>The address the started application listens on, e.g. <c>http://127.0.0.1:5080</c>.</summary>
    /// <param name="app">A started application.</param>
    /// <returns>The first address.</returns>
    internal static Uri GetAddress(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Uri(address);
    }

    private static ShardedRelayStore CreatePostgresStore(RelayOptions options)
    {
        IEnumerable<string> databases = options.PostgresShards.Count > 0 ? options.PostgresShards : [options.PostgresConnectionString!];
        return new ShardedRelayStore([.. databases.Select(connection => new PostgresRelayStore(connection, options.PostgresSchema))]);
    }

    /// <summary>Where the state is, for the log: never the connection string itself (it may hold a password).</summary>
    private static string DescribeStore(RelayOptions options)
    {
        if (options.Store != RelayStoreKind.Postgres)
        {
            return "sqlite " + Path.GetFullPath(options.DataDirectory);
        }

        IEnumerable<string> databases = options.PostgresShards.Count > 0 ? options.PostgresShards : [options.PostgresConnectionString!];
        return "postgres " + string.Join(", ", databases.Select(connection =>
        {
            var builder = new Npgsql.NpgsqlConnectionStringBuilder(connection);
            return $"{builder.Host}:{builder.Port}/{builder.Database}";
        })) + $" schema {options.PostgresSchema}";
    }

    private static void Validate(RelayOptions options)
    {
        if (options.Store == RelayStoreKind.Postgres
            && ((string.IsNullOrWhiteSpace(options.PostgresConnectionString) == (options.PostgresShards.Count == 0))
                || options.PostgresShards.Any(string.IsNullOrWhiteSpace)
                || !PostgresRelayStore.IsValidSchemaName(options.PostgresSchema)))
        {
            throw new OptionsValidationException(RelayOptions.SectionName, typeof(RelayOptions), ["Relay:Store=Postgres needs either Relay:PostgresConnectionString or Relay:PostgresShards (not both), and a Relay:PostgresSchema of [a-z0-9_] (1 to 63 characters)."]);
        }

        if (!Enum.IsDefined(options.Store))
        {
            throw new OptionsValidationException(RelayOptions.SectionName, typeof(RelayOptions), ["Relay:Store is Sqlite or Postgres."]);
        }

        if (options.MaxQueueLength < 1 || options.RateLimitBurst < 1 || options.RateLimitPerSecond <= 0
            || options.TokenLifetime <= TimeSpan.Zero || options.MessageLifetime <= TimeSpan.Zero
            || options.CatchUpInterval <= TimeSpan.Zero || options.SweepInterval <= TimeSpan.Zero
            || options.MaxStreamsPerConnection < 1 || string.IsNullOrEmpty(options.RelayId) || options.RelayId.Length > 255)
        {
            throw new OptionsValidationException(RelayOptions.SectionName, typeof(RelayOptions), ["Relay options out of range: limits and intervals must be positive, RelayId 1 to 255 characters."]);
        }
    }

    private static async Task LoadSecretsAsync(RelaySecrets secrets, RelayOptions options, IRelayStore store, CancellationToken cancellationToken)
    {
        byte[] secret;
        if (!string.IsNullOrEmpty(options.ServerSecret))
        {
            secret = Convert.FromBase64String(options.ServerSecret);
        }
        else
        {
            byte[] candidate = RandomNumberGenerator.GetBytes(RelaySecrets.SecretLength);
            secret = await store.GetOrCreateSecretAsync(RelaySecrets.StoreName, candidate, cancellationToken).ConfigureAwait(false);
            CryptographicOperations.ZeroMemory(candidate);
        }

        try
        {
            secrets.Initialize(secret);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "E2eChat relay listening on {Address} (data: {Store})")]
    private static partial void LogListening(ILogger logger, string address, string store);

    [LoggerMessage(Level = LogLevel.Information, Message = "E2eChat relay stopped")]
    private static partial void LogStopped(ILogger logger);
}
