using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Parley.Server.Tests.Support;
using Parley.Testing;

namespace Parley.Server.Tests;

/// <summary>File transfer through the server (<c>Im:MaxFileSize=100000</c>): upload, file message, authorized download, safe headers, size limit.</summary>
public sealed class FileTests(FileTests.Fixture fixture) : IClassFixture<FileTests.Fixture>
{
    public const int MaxFileSize = 100_000;

    public sealed class Fixture : AppFixture
    {
        protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string> { ["Im:MaxFileSize"] = MaxFileSize.ToString(System.Globalization.CultureInfo.InvariantCulture) };
    }

    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private ParleyApp App => fixture.App;

    private static byte[] Png()
    {
        var bytes = new byte[300];
        PngSignature.CopyTo(bytes, 0);
        Random.Shared.NextBytes(bytes.AsSpan(PngSignature.Length));
        return bytes;
    }

    private async Task<(ImClient A, ImClient B)> FriendsAsync()
    {
        var a = await App.OnlineAsync("alice");
        var b = await App.OnlineAsync("bob");
        await a.BefriendAsync(b);
        return (a, b);
    }

    private static async Task<string> UploadAsync(ImClient uploader, byte[] content, string fileName)
    {
        var upload = await uploader.UploadAsync(content, fileName);
        upload.Expect(HttpStatusCode.Created);
        Assert.Equal(content.Length, upload.Obj.Long("size"));
        return upload.Str("fileId")!;
    }

    private static async Task<Delivery> SendFileAsync(ImClient from, ImClient to, string fileId, string body)
    {
        var clientMsgId = ImClient.NewClientMsgId();
        await from.CallOkAsync("send", new JsonObject { ["to"] = to.UserId, ["kind"] = "file", ["fileId"] = fileId, ["body"] = body, ["clientMsgId"] = clientMsgId });
        return await to.WaitForMessageAsync(clientMsgId);
    }

    [Fact]
    public async Task AnUploadedFileCanBeDownloadedByThePeerAfterAFileMessage()
    {
        var (a, b) = await FriendsAsync();
        await using (a)
        await using (b)
        {
            var content = Encoding.UTF8.GetBytes("meeting notes\n会议记录 ✅\n");
            var fileId = await UploadAsync(a, content, "notes.txt");

            // Before the message the peer cannot see it.
            (await b.GetAsync($"/api/files/{fileId}")).ExpectProblem(HttpStatusCode.NotFound);

            var message = await SendFileAsync(a, b, fileId, "notes.txt");
            Assert.Equal("file", message.Str("kind"));
            Assert.Equal(fileId, message.Str("fileId"));

            var download = (await b.GetAsync($"/api/files/{fileId}")).Expect(HttpStatusCode.OK);
            Assert.Equal(content, download.Bytes);
            Assert.Equal("nosniff", download.Header("X-Content-Type-Options"));
            Assert.StartsWith("attachment", download.Header("Content-Disposition"));

            var own = (await a.GetAsync($"/api/files/{fileId}")).Expect(HttpStatusCode.OK);
            Assert.Equal(content, own.Bytes);
        }
    }

    [Fact]
    public async Task AFileMessageCarriesTheFilesDetailsLiveInSyncAndInHistory()
    {
        var (a, b) = await FriendsAsync();
        await using (a)
        await using (b)
        {
            var content = Encoding.UTF8.GetBytes("报告 📎");
            var fileId = await UploadAsync(a, content, "季度报告.txt");

            var live = await SendFileAsync(a, b, fileId, "季度报告.txt");
            var synced = Assert.Single(await b.SyncAllAsync(), m => m.Str("fileId") == fileId);
            var history = Assert.Single(await b.HistoryAsync(live.Str("conv")!), m => m.Str("fileId") == fileId);

            foreach (var file in new[] { live.Data.Obj("file"), synced.Obj("file"), history.Obj("file") })
            {
                Assert.NotNull(file);
                Assert.Equal("季度报告.txt", file.Str("name"));
                Assert.Equal(content.Length, file.Long("size"));
                Assert.StartsWith("text/plain", file.Str("contentType"));
            }
        }
    }

    [Fact]
    public async Task AStrangersDownloadIsNotFound()
    {
        var (a, b) = await FriendsAsync();
        await using (a)
        await using (b)
        await using (var stranger = await App.RegisterAsync("stranger"))
        {
            var fileId = await UploadAsync(a, Png(), "photo.png");
            await SendFileAsync(a, b, fileId, "photo");

            (await stranger.GetAsync($"/api/files/{fileId}")).ExpectProblem(HttpStatusCode.NotFound, "file_not_found");
            (await stranger.GetAsync("/api/files/0123456789abcdef")).ExpectProblem(HttpStatusCode.NotFound, "file_not_found");
            using var anonymous = App.CreateHttpClient();
            using var response = await anonymous.GetAsync($"/api/files/{fileId}");
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
    }

    [Fact]
    public async Task AFileMessageNeedsAFileTheSenderUploaded()
    {
        var (a, b) = await FriendsAsync();
        await using (a)
        await using (b)
        {
            var bobsFile = await UploadAsync(b, Png(), "bob.png");
            var result = await a.CallAsync("send", new JsonObject { ["to"] = b.UserId, ["kind"] = "file", ["fileId"] = bobsFile, ["body"] = "", ["clientMsgId"] = ImClient.NewClientMsgId() });
            Assert.Equal(false, result.Bool("ok"));
            Assert.Equal("file_invalid", result.Obj("error")?.Str("code"));
        }
    }

    [Theory]
    [InlineData(MaxFileSize + 1)]
    [InlineData(MaxFileSize * 3)]
    [InlineData(2 * 1024 * 1024)]
    public async Task AnOversizedUploadIsRefusedWith413AndTheServerKeepsServing(int size)
    {
        await using var a = await App.RegisterAsync("alice");

        var upload = await a.UploadAsync(new byte[size], "big.bin");

        var problem = upload.ExpectProblem(HttpStatusCode.RequestEntityTooLarge);
        Assert.False(string.IsNullOrEmpty(problem.Str("code")), upload.ToString());
        (await a.GetAsync("/api/me")).Expect(HttpStatusCode.OK);
        await UploadAsync(a, Encoding.UTF8.GetBytes("small enough"), "small.txt");
    }

    [Fact]
    public async Task AnImageIsServedInlineWithNosniff()
    {
        var (a, b) = await FriendsAsync();
        await using (a)
        await using (b)
        {
            var png = Png();
            var fileId = await UploadAsync(a, png, "holiday.png");
            await SendFileAsync(a, b, fileId, "holiday.png");

            var download = (await b.GetAsync($"/api/files/{fileId}")).Expect(HttpStatusCode.OK);
            Assert.Equal(png, download.Bytes);
            Assert.Equal("image/png", download.ContentType);
            Assert.Equal("nosniff", download.Header("X-Content-Type-Options"));
            var disposition = ContentDispositionHeaderValue.Parse(download.Header("Content-Disposition")!);
            Assert.Equal("inline", disposition.DispositionType);
        }
    }

    [Fact]
    public async Task OtherTypesDownloadAsAttachmentsWithASanitizedFileName()
    {
        var (a, b) = await FriendsAsync();
        await using (a)
        await using (b)
        {
            var html = Encoding.UTF8.GetBytes("<html><script>alert(1)</script></html>");
            var upload = await a.UploadWithDispositionAsync(html, "form-data; name=\"file\"; filename=\"../../etc/\\\"evil\\\"<x>;\u202e.html\"", "text/html");
            upload.Expect(HttpStatusCode.Created);
            var fileId = upload.Str("fileId")!;
            var name = upload.Str("name")!;
            Assert.DoesNotContain('/', name);
            Assert.DoesNotContain('"', name);
            Assert.DoesNotContain('<', name);
            Assert.DoesNotContain("..", name);
            Assert.NotEqual("text/html", upload.Str("contentType"));
            await SendFileAsync(a, b, fileId, name);

            var download = (await b.GetAsync($"/api/files/{fileId}")).Expect(HttpStatusCode.OK);
            Assert.Equal(html, download.Bytes);
            Assert.Equal("application/octet-stream", download.ContentType);
            Assert.Equal("nosniff", download.Header("X-Content-Type-Options"));
            var raw = download.Header("Content-Disposition")!;
            var disposition = ContentDispositionHeaderValue.Parse(raw);
            Assert.Equal("attachment", disposition.DispositionType);
            var sent = (disposition.FileNameStar ?? disposition.FileName)!.Trim('"');
            Assert.Equal(name, sent);
            Assert.DoesNotContain("/", sent);
            Assert.DoesNotContain("\"", sent);
            Assert.EndsWith(".html", sent);
        }
    }

    [Fact]
    public async Task AChineseFileNameSurvivesTheUploadAndTheDownloadHeader()
    {
        var (a, b) = await FriendsAsync();
        await using (a)
        await using (b)
        {
            var fileId = await UploadAsync(a, Encoding.UTF8.GetBytes("报告"), "季度报告 📊.txt");
            await SendFileAsync(a, b, fileId, "report");
            var download = (await b.GetAsync($"/api/files/{fileId}")).Expect(HttpStatusCode.OK);
            var disposition = ContentDispositionHeaderValue.Parse(download.Header("Content-Disposition")!);
            Assert.Equal("季度报告 📊.txt", Uri.UnescapeDataString(disposition.FileNameStar!));
        }
    }
}
