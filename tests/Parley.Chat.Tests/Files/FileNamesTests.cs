using System.Text;
using Parley.Chat.Files;

namespace Parley.Chat.Tests.Files;

public sealed class FileNamesTests
{
    [Theory]
    [InlineData("../../etc/passwd", "passwd")]
    [InlineData("..\\..\\windows\\system.ini", "system.ini")]
    [InlineData("/var/tmp/", "file")]
    [InlineData("a\u0000b.txt", "ab.txt")]
    [InlineData("my \"quoted\"\r\nname.txt", "my quotedname.txt")]
    [InlineData("evil\"; filename=x.exe", "evil filename=x.exe")]
    [InlineData("<script>.html", "script.html")]
    [InlineData("what?*|:.txt", "what.txt")]
    [InlineData("line\u2028break.txt", "linebreak.txt")]
    [InlineData("invoice\u202Efdp.exe", "invoicefdp.exe")]
    [InlineData(".htaccess", "htaccess")]
    [InlineData("  ..  spaced.txt  ", "spaced.txt")]
    [InlineData("...", "file")]
    [InlineData("", "file")]
    [InlineData(null, "file")]
    [InlineData("报告 2024年.pdf", "报告 2024年.pdf")]
    [InlineData("résumé 😀.docx", "résumé 😀.docx")]
    public void NamesAreMadeSafe(string? name, string expected)
    {
        Assert.Equal(expected, FileNames.Sanitize(name));
    }

    [Fact]
    public void AVeryLongNameIsCutKeepingItsExtension()
    {
        var name = FileNames.Sanitize(new string('a', 300) + ".pdf");

        Assert.Equal(FileNames.MaxLength, name.Length);
        Assert.EndsWith("a.pdf", name, StringComparison.Ordinal);
    }

    [Fact]
    public void AVeryLongNameWithAnOverlongExtensionIsSimplyCut()
    {
        var name = FileNames.Sanitize(new string('a', 200) + "." + new string('e', 40));

        Assert.Equal(new string('a', FileNames.MaxLength), name);
    }

    [Fact]
    public void AVeryLongChineseNameIsCutKeepingItsExtension()
    {
        var original = string.Concat(Enumerable.Repeat("会议纪要", 50));

        var name = FileNames.Sanitize(original + ".docx");

        Assert.Equal(FileNames.MaxLength, name.Length);
        Assert.EndsWith(".docx", name, StringComparison.Ordinal);
        Assert.StartsWith(name[..^".docx".Length], original, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData(".txt")]
    public void CuttingAnEmojiNameNeverSplitsACharacter(string extension)
    {
        // 1 + 2 × 100 code units: the cut falls in the middle of an emoji's surrogate pair.
        var name = FileNames.Sanitize("a" + string.Concat(Enumerable.Repeat("😀", 100)) + extension);

        Assert.True(name.Length <= FileNames.MaxLength);
        Assert.EndsWith("😀" + extension, name, StringComparison.Ordinal);
        var strict = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
        var exception = Record.Exception(() => strict.GetByteCount(name));
        Assert.Null(exception);
    }
}
