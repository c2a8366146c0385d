using System.Text;
using Parley.Chat.Files;

namespace Parley.Chat.Tests.Files;

public sealed class ContentTypesTests
{
    public static TheoryData<byte[], string, string> Samples => new()
    {
        { [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0], "x.bin", "image/png" },
        { [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10], "photo", "image/jpeg" },
        { Encoding.ASCII.GetBytes("GIF89a...."), "anim.png", "image/gif" },
        { Encoding.ASCII.GetBytes("GIF87a...."), "old", "image/gif" },
        { Encoding.ASCII.GetBytes("RIFF\0\0\0\0WEBPVP8 "), "w", "image/webp" },
        { Encoding.ASCII.GetBytes("%PDF-1.7\n"), "doc.txt", "application/pdf" },
        { Encoding.ASCII.GetBytes("PK\x03\x04rest"), "archive", "application/zip" },
        { Encoding.UTF8.GetBytes("just text, 中文\n"), "notes.TXT", "text/plain; charset=utf-8" },
        { Encoding.UTF8.GetBytes("just text"), "fake.png", "application/octet-stream" },
        { Encoding.UTF8.GetBytes("<html><script>"), "page.html", "application/octet-stream" },
        { [0x00, 0x01, 0x02], "binary.txt", "application/octet-stream" },
        { [0x89, 0x50, 0x4E], "truncated.png", "application/octet-stream" },
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public void TheTypeIsDetectedFromTheFirstBytes(byte[] head, string fileName, string expected)
    {
        Assert.Equal(expected, ContentTypes.Detect(head, fileName));
    }

    [Theory]
    [InlineData("image/png", true)]
    [InlineData("image/jpeg", true)]
    [InlineData("image/gif", true)]
    [InlineData("image/webp", true)]
    [InlineData("image/svg+xml", false)]
    [InlineData("application/pdf", false)]
    [InlineData("text/plain; charset=utf-8", false)]
    public void OnlyRasterImagesAreShownInline(string contentType, bool inline)
    {
        Assert.Equal(inline, ContentTypes.IsInlineImage(contentType));
    }
}
