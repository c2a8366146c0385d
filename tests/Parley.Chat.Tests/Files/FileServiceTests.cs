using System.Security.Cryptography;
using System.Text;
using Parley.Chat.Conversations;
using Parley.Chat.Tests.Support;

namespace Parley.Chat.Tests.Files;

public sealed class FileServiceTests
{
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, (byte)'I', (byte)'H', (byte)'D', (byte)'R'];

    private static MemoryStream Content(string text) => new(Encoding.UTF8.GetBytes(text));

    private static string[] StoredBlobs(TestChat chat) =>
        [.. Directory.EnumerateFiles(chat.FilesDirectory, "*", SearchOption.AllDirectories)
            .Where(path => Path.GetFileName(Path.GetDirectoryName(path)) != "tmp")];

    private static string[] TempFiles(TestChat chat) => Directory.GetFiles(Path.Combine(chat.FilesDirectory, "tmp"));

    [Fact]
    public async Task SavingStoresTheBytesUnderTheirSha256()
    {
        await using var chat = await TestChat.StartAsync();
        var alice = await chat.UserAsync("alice");
        var bytes = Encoding.UTF8.GetBytes("hello, 文件 📎");

        var file = await chat.Files.SaveAsync(alice.Id, new MemoryStream(bytes), "note.txt");

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), file.Sha256);
        Assert.Equal((bytes.Length, "note.txt", alice.Id, TestChat.Start), (file.Size, file.FileName, file.UploaderId, file.CreatedAt));
        Assert.Equal(file, await chat.Store.Files.GetFileAsync(file.Id));
        var blob = Assert.Single(StoredBlobs(chat));
        Assert.Equal(file.Sha256, Path.GetFileName(blob));
        Assert.Equal(bytes, await File.ReadAllBytesAsync(blob));
        Assert.Empty(TempFiles(chat));
    }

    [Fact]
    public async Task IdenticalContentIsStoredOnce()
    {
        await using var chat = await TestChat.StartAsync();
        var alice = await chat.UserAsync("alice");
        var bob = await chat.UserAsync("bob");

        var first = await chat.Files.SaveAsync(alice.Id, Content("same bytes"), "a.txt");
        var second = await chat.Files.SaveAsync(bob.Id, Content("same bytes"), "b.txt");
        var other = await chat.Files.SaveAsync(bob.Id, Content("other bytes"), "c.txt");

        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal(first.Sha256, second.Sha256);
        Assert.NotEqual(first.Sha256, other.Sha256);
        Assert.Equal(2, StoredBlobs(chat).Length);
        Assert.Empty(TempFiles(chat));
    }

    // Un-skip once FileService.SaveAsync tolerates a concurrent upload of the same content: between
    // its File.Exists(target) and File.Move(temp, target) another upload can move the same blob in,
    // and the Move then throws IOException ("already exists"). The race is real but its window is
    // tiny, so this stress fails only now and then (about 1 run in 8 here) while the bug exists.
    [Fact]
    public async Task ConcurrentUploadsOfTheSameContentAllSucceed()
    {
        await using var chat = await TestChat.StartAsync();
        var alice = await chat.UserAsync("alice");
        const int Rounds = 20;

        for (var round = 0; round < Rounds; round++)
        {
            var bytes = Encoding.UTF8.GetBytes($"the same attachment, uploaded by many tabs at once ({round})");
            var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            // Every upload has read its bytes and waits for the end of its stream; all then finish together.
            var uploads = Enumerable.Range(0, 32)
                .Select(i => chat.Files.SaveAsync(alice.Id, new GatedStream(bytes, release.Task), $"copy{i}.txt"))
                .ToArray();
            release.SetResult();
            var files = await Task.WhenAll(uploads);

            Assert.Single(files.Select(f => f.Sha256).Distinct());
        }

        Assert.Equal(Rounds, StoredBlobs(chat).Length);
        Assert.Empty(TempFiles(chat));
    }

    [Fact]
    public async Task AFileOverTheLimitIsTooLargeAndLeavesNothingBehind()
    {
        await using var chat = await TestChat.StartAsync(o => o.MaxFileSize = 100 * 1024);
        var alice = await chat.UserAsync("alice");

        await ChatAssert.RefusedAsync(ChatErrorKind.TooLarge, "file_too_large",
            () => chat.Files.SaveAsync(alice.Id, new MemoryStream(new byte[300 * 1024]), "big.bin"));

        Assert.Empty(StoredBlobs(chat));
        Assert.Empty(TempFiles(chat));
    }

    [Fact]
    public async Task AFileOfExactlyTheLimitIsKept()
    {
        await using var chat = await TestChat.StartAsync(o => o.MaxFileSize = 1000);
        var alice = await chat.UserAsync("alice");

        var file = await chat.Files.SaveAsync(alice.Id, new MemoryStream(new byte[1000]), "exact.bin");

        Assert.Equal(1000, file.Size);
        await ChatAssert.RefusedAsync(ChatErrorKind.TooLarge, "file_too_large",
            () => chat.Files.SaveAsync(alice.Id, new MemoryStream(new byte[1001]), "one-more.bin"));
        Assert.Single(StoredBlobs(chat));
        Assert.Empty(TempFiles(chat));
    }

    [Fact]
    public async Task AnEmptyFileIsInvalidAndLeavesNothingBehind()
    {
        await using var chat = await TestChat.StartAsync();
        var alice = await chat.UserAsync("alice");

        await ChatAssert.RefusedAsync(ChatErrorKind.Invalid, "file_empty", () => chat.Files.SaveAsync(alice.Id, new MemoryStream(), "empty.txt"));

        Assert.Empty(StoredBlobs(chat));
        Assert.Empty(TempFiles(chat));
    }

    [Fact]
    public async Task TheContentTypeComesFromTheBytesNotTheName()
    {
        await using var chat = await TestChat.StartAsync();
        var alice = await chat.UserAsync("alice");

        var png = await chat.Files.SaveAsync(alice.Id, new MemoryStream(Png), "picture.dat");
        var fake = await chat.Files.SaveAsync(alice.Id, Content("<script>alert(1)</script>"), "picture.png");
        var text = await chat.Files.SaveAsync(alice.Id, Content("纯文本 plain text\r\n"), "readme.txt");

        Assert.Equal("image/png", png.ContentType);
        Assert.Equal("application/octet-stream", fake.ContentType);
        Assert.Equal("text/plain; charset=utf-8", text.ContentType);
    }

    [Fact]
    public async Task TheStoredNameIsSanitized()
    {
        await using var chat = await TestChat.StartAsync();
        var alice = await chat.UserAsync("alice");

        var file = await chat.Files.SaveAsync(alice.Id, Content("x"), "../../etc/\"passwd\"\r\n");

        Assert.Equal("passwd", file.FileName);
    }

    [Fact]
    public async Task TheUploaderCanOpenTheirFile()
    {
        await using var chat = await TestChat.StartAsync();
        var alice = await chat.UserAsync("alice");
        var saved = await chat.Files.SaveAsync(alice.Id, Content("mine 🗂️"), "mine.txt");

        var (file, content) = await chat.Files.OpenAsync(alice.Id, saved.Id);
        await using (content)
        {
            using var reader = new StreamReader(content);
            Assert.Equal("mine 🗂️", await reader.ReadToEndAsync());
        }
        Assert.Equal(saved, file);
    }

    [Fact]
    public async Task TheRecipientOfAFileMessageCanOpenItAndAStrangerCannot()
    {
        await using var chat = await TestChat.StartAsync();
        var (alice, bob) = await chat.FriendsAsync();
        var eve = await chat.UserAsync("eve");
        var saved = await chat.Files.SaveAsync(alice.Id, new MemoryStream(Png), "photo.png");
        await ChatAssert.RefusedAsync(ChatErrorKind.NotFound, "file_not_found", () => chat.Files.OpenAsync(bob.Id, saved.Id));

        var message = await chat.Messages.SendAsync(alice.Id, new SendRequest(bob.Id, null, "看这个", "file", saved.Id, null));

        Assert.Equal((MessageKind.File, saved.Id, "看这个"), (message.Kind, message.FileId, message.Body));
        var (file, content) = await chat.Files.OpenAsync(bob.Id, saved.Id);
        await content.DisposeAsync();
        Assert.Equal(("image/png", "photo.png"), (file.ContentType, file.FileName));
        await ChatAssert.RefusedAsync(ChatErrorKind.NotFound, "file_not_found", () => chat.Files.OpenAsync(eve.Id, saved.Id));
    }

    [Fact]
    public async Task GroupMembersCanOpenAFileSentToTheGroupUntilTheyLeave()
    {
        await using var chat = await TestChat.StartAsync();
        var alice = await chat.UserAsync("alice");
        var bob = await chat.UserAsync("bob");
        var group = await chat.Groups.CreateAsync(alice.Id, "Team");
        await chat.Groups.AddMemberAsync(alice.Id, group.Id, bob.Id);
        var saved = await chat.Files.SaveAsync(alice.Id, Content("minutes"), "minutes.txt");
        await chat.Messages.SendAsync(alice.Id, new SendRequest(null, group.Id, "", "file", saved.Id, null));

        var (_, content) = await chat.Files.OpenAsync(bob.Id, saved.Id);
        await content.DisposeAsync();
        await chat.Groups.LeaveAsync(bob.Id, group.Id);

        await ChatAssert.RefusedAsync(ChatErrorKind.NotFound, "file_not_found", () => chat.Files.OpenAsync(bob.Id, saved.Id));
    }

    [Fact]
    public async Task OnlyTheUploaderCanSendAFile()
    {
        await using var chat = await TestChat.StartAsync();
        var (alice, bob) = await chat.FriendsAsync();
        var saved = await chat.Files.SaveAsync(alice.Id, Content("alice's"), "a.txt");

        await ChatAssert.RefusedAsync(ChatErrorKind.Invalid, "file_invalid",
            () => chat.Messages.SendAsync(bob.Id, new SendRequest(alice.Id, null, "", "file", saved.Id, null)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("../../../etc/passwd")]
    [InlineData("0000000000000000")]
    [InlineData("NOT-AN-ID")]
    public async Task AnUnknownOrMalformedFileIdIsNotFound(string fileId)
    {
        await using var chat = await TestChat.StartAsync();
        var alice = await chat.UserAsync("alice");

        await ChatAssert.RefusedAsync(ChatErrorKind.NotFound, "file_not_found", () => chat.Files.OpenAsync(alice.Id, fileId));
    }

    /// <summary>Returns its bytes, then holds the end of the stream until the gate opens.</summary>
    private sealed class GatedStream(byte[] bytes, Task gate) : Stream
    {
        private int _position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => bytes.Length;
        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_position == bytes.Length)
            {
                await gate.WaitAsync(cancellationToken);
                return 0;
            }
            var count = Math.Min(buffer.Length, bytes.Length - _position);
            bytes.AsMemory(_position, count).CopyTo(buffer);
            _position += count;
            return count;
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
