using Parley.Chat.Files;

namespace Parley.Chat.Tests.Storage;

public abstract partial class ChatStoreSpecification
{
    [Fact]
    public async Task AFileRecordReadsBackAsItWasStored()
    {
        var file = new StoredFile(Ids.New(), new string('a', 64), 5_000_000_000, "image/png", "照片 📷.png", "a", At(7));

        await Store.Files.AddFileAsync(file);

        Assert.Equal(file, await Store.Files.GetFileAsync(file.Id));
        Assert.Null(await Store.Files.GetFileAsync("unknown"));
    }

    [Fact]
    public async Task AFileIdCanBeStoredOnlyOnce()
    {
        var file = new StoredFile(Ids.New(), new string('a', 64), 10, "text/plain", "a.txt", "a", At(7));
        await Store.Files.AddFileAsync(file);

        await Assert.ThrowsAsync<InvalidOperationException>(() => Store.Files.AddFileAsync(file with { FileName = "b.txt" }));

        Assert.Equal(file, await Store.Files.GetFileAsync(file.Id));
    }
}
