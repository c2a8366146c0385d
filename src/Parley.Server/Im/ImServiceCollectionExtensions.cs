using Microsoft.Extensions.Options;
using Parley.Bayeux.Server;
using Parley.Chat;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Parley.Chat.Accounts;
using Parley.Chat.Cluster;
using Parley.Chat.Conversations;
using Parley.Chat.Files;
using Parley.Chat.Friends;
using Parley.Chat.Groups;
using Parley.Chat.Notifications;
using Parley.Chat.Presence;
using Parley.Chat.Storage;
using Parley.Server.Api;
using Parley.Storage.Sqlite;

namespace Parley.Server.Im;

/// <summary>Composes the IM: the store, the domain services, and their glue to Bayeux.</summary>
internal static class ImServiceCollectionExtensions
{
    public static IServiceCollection AddParleyIm(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddOptions<ChatOptions>().BindConfiguration(ChatOptions.SectionName);
        var dataDirectory = DataDirectory(configuration, environment);

        // Cluster mode registers PostgreSQL first; otherwise the embedded store.
        services.TryAddSingleton<IChatStore>(sp => new SqliteChatStore(
            SqliteOptions(configuration, dataDirectory),
            sp.GetRequiredService<ILogger<SqliteChatStore>>()));
        services.TryAddSingleton<IClusterDirectory, LocalClusterDirectory>();
        services.AddSingleton<ImSessions>();
        services.AddSingleton<IChatNotifier, BayeuxChatNotifier>();
        services.AddSingleton<AccountService>();
        services.AddSingleton<FriendService>();
        services.AddSingleton<PresenceService>();
        services.AddSingleton<MessageService>();
        services.AddSingleton<GroupService>();
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<ChatOptions>>();
            var directory = Path.IsPathRooted(options.Value.FilesDirectory) ? options.Value.FilesDirectory : Path.Combine(dataDirectory, options.Value.FilesDirectory);
            return new FileService(sp.GetRequiredService<IChatStore>(), options, sp.GetRequiredService<TimeProvider>(), directory);
        });
        services.AddSingleton<ImServices>();
        services.AddSingleton<ImSessionLifecycle>();
        services.AddSingleton<PresenceApi>();
        return services;
    }

    /// <summary>Migrates the store and wires the IM into the Bayeux engine. Call before the app starts.</summary>
    public static async Task UseParleyImAsync(this WebApplication app)
    {
        var services = app.Services;
        await services.GetRequiredService<IChatStore>().MigrateAsync();
        await services.GetRequiredService<IClusterDirectory>().StartAsync();
        var bayeux = services.GetRequiredService<BayeuxServer>();
        bayeux.AddAuthorizer("/user/*", new UserChannelAuthorizer());
        bayeux.AddAuthorizer("/group/*", new GroupChannelAuthorizer(services.GetRequiredService<GroupService>()));
        services.GetRequiredService<ImServices>().Register(bayeux);
        services.GetRequiredService<ImSessionLifecycle>().Attach();
        var presence = services.GetRequiredService<PresenceService>();
        services.GetRequiredService<FriendService>().FriendshipChanged += presence.RelationChangedAsync;

        app.MapAuthApi();
        app.MapFriendsApi();
        app.MapGroupsApi();
        app.MapConversationsApi();
        app.MapFilesApi(services.GetRequiredService<IOptions<ChatOptions>>().Value.MaxFileSize);
        services.GetRequiredService<PresenceApi>().Map(app);
        app.MapAdminApi();
    }

    /// <summary>
    /// The embedded store: <c>parley.db</c> in the data directory, and whatever the
    /// <c>Storage:Sqlite</c> section sets (<c>Path</c>, <c>MaxBatch</c>, <c>MaxQueuedWrites</c>,
    /// <c>CheckpointInterval</c>; see <see cref="SqliteStoreOptions"/>).
    /// </summary>
    public static SqliteStoreOptions SqliteOptions(IConfiguration configuration, string dataDirectory)
    {
        var options = new SqliteStoreOptions { Path = Path.Combine(dataDirectory, "parley.db") };
        configuration.GetSection("Storage:Sqlite").Bind(options);
        return options;
    }

    /// <summary>Where the database and files live: <c>Parley:DataDirectory</c>, default <c>data</c> under the content root.</summary>
    public static string DataDirectory(IConfiguration configuration, IHostEnvironment environment)
    {
        var configured = configuration["Parley:DataDirectory"];
        var directory = string.IsNullOrEmpty(configured) ? "data" : configured;
        directory = Path.IsPathRooted(directory) ? directory : Path.Combine(environment.ContentRootPath, directory);
        Directory.CreateDirectory(directory);
        return directory;
    }
}
