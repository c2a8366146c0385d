namespace Parley.Server.Tests.Support;

/// <summary>
/// One server per test class (xunit class fixture) in a fresh temporary data directory, deleted
/// afterwards. Tests of a class share it, so each registers its own users.
/// Subclasses choose settings.
/// </summary>
public class AppFixture : IAsyncLifetime
{
    private ParleyApp? _app;

    public ParleyApp App => _app ?? throw new InvalidOperationException("The app is not started.");

    /// <summary>Settings on top of the test defaults.</summary>
    protected virtual IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>();

    public async Task InitializeAsync() => _app = await ParleyApp.StartAsync(ParleyApp.NewDataDirectory(), Settings);

    public async Task DisposeAsync()
    {
        if (_app is null)
            return;
        await _app.DisposeAsync();
        DeleteDirectory(_app.DataDirectory);
    }

    public static void DeleteDirectory(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still closing: the temp directory is left for the OS to clean.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
