using Parley.Server.Tests.Support;

namespace Parley.Server.Tests;

/// <summary>The embedded store takes its settings from the <c>Storage:Sqlite</c> section.</summary>
public sealed class StorageSettingsTests : IDisposable
{
    private readonly string _dataDirectory = ParleyApp.NewDataDirectory();
    private readonly string _elsewhere = ParleyApp.NewDataDirectory();

    public void Dispose()
    {
        AppFixture.DeleteDirectory(_dataDirectory);
        AppFixture.DeleteDirectory(_elsewhere);
    }

    [Fact]
    public async Task TheDatabaseGoesWhereStorageSqlitePathSaysAndKeepsWhatWasWritten()
    {
        var settings = new Dictionary<string, string>
        {
            ["Storage:Sqlite:Path"] = Path.Combine(_elsewhere, "chat.db"),
            ["Storage:Sqlite:MaxBatch"] = "4",
            ["Storage:Sqlite:CheckpointInterval"] = "00:00:00.050",
        };
        string username;
        await using (var first = await ParleyApp.StartAsync(_dataDirectory, settings))
        {
            await using var alice = await first.RegisterAsync("alice");
            username = alice.Username;
        }

        Assert.True(File.Exists(Path.Combine(_elsewhere, "chat.db")));
        Assert.False(File.Exists(Path.Combine(_dataDirectory, "parley.db")));
        await using var second = await ParleyApp.StartAsync(_dataDirectory, settings);
        await using var again = await second.LoginAsync(username);
        Assert.Equal(username, again.Username);
    }

    [Theory]
    [InlineData("Storage:Sqlite:CheckpointInterval", "00:00:00", "CheckpointInterval")]
    [InlineData("Storage:Sqlite:MaxQueuedWrites", "0", "MaxQueuedWrites")]
    [InlineData("Storage:Sqlite:MaxBatch", "0", "MaxBatch")]
    public async Task AnImpossibleSettingStopsTheStartNamingIt(string key, string value, string name)
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => ParleyApp.StartAsync(_dataDirectory, new Dictionary<string, string> { [key] = value }));

        Assert.Contains(name, failure.ToString(), StringComparison.Ordinal);
    }
}
