using System.Buffers;
using System.Text;
using System.Text.Json;
using Parley.Bayeux.Messages;
using Parley.Bayeux.Tests.Support;

namespace Parley.Bayeux.Tests.Messages;

public sealed class BayeuxCodecTests
{
    private const int Max = 100;

    private static ParseResult Parse(string json, int max = Max) => BayeuxCodec.Parse(Encoding.UTF8.GetBytes(json), max);

    [Fact]
    public void AnArrayOfMessagesRoundTrips()
    {
        var messages = new[]
        {
            new BayeuxMessage { Channel = "/meta/subscribe", ClientId = "abc", Id = "1", Subscription = Json.Parse("[\"/a/*\",\"/b\"]") },
            new BayeuxMessage { Channel = "/chat/room", ClientId = "abc", Id = "2", Data = Json.Parse("{\"text\":\"hello\",\"n\":[1,2,3]}") },
            new BayeuxMessage { Channel = "/meta/connect", ClientId = "abc", Id = "3", ConnectionType = "long-polling", Advice = new Advice { Timeout = 0 } },
        };

        var result = Parse(BayeuxCodec.Serialize(messages));

        Assert.True(result.Success, result.Error);
        Assert.Null(result.Error);
        var parsed = result.Messages!;
        Assert.Equal(3, parsed.Length);
        Assert.Equal("/meta/subscribe", parsed[0].Channel);
        Assert.Equal("abc", parsed[0].ClientId);
        Assert.Equal("1", parsed[0].Id);
        Assert.Equal("[\"/a/*\",\"/b\"]", parsed[0].Subscription!.Value.GetRawText());
        Assert.Equal("/chat/room", parsed[1].Channel);
        Assert.Equal("hello", parsed[1].Data!.Value.GetProperty("text").GetString());
        Assert.Equal(3, parsed[1].Data!.Value.GetProperty("n").GetArrayLength());
        Assert.Equal("/meta/connect", parsed[2].Channel);
        Assert.Equal("long-polling", parsed[2].ConnectionType);
        Assert.Equal(0, parsed[2].Advice!.Timeout);
    }

    [Fact]
    public void SerializingAListKeepsTheMessageOrder()
    {
        // Bayeux messages of one request are handled in order: a client's [connect, publish] must stay so.
        var messages = new[]
        {
            new BayeuxMessage { Channel = "/meta/connect", ClientId = "abc", Id = "1" },
            new BayeuxMessage { Channel = "/chat/room", ClientId = "abc", Id = "2", Data = Json.Parse("1") },
        };

        var parsed = Parse(BayeuxCodec.Serialize(messages)).Messages!;

        Assert.Equal(["1", "2"], parsed.Select(m => m.Id));
    }

    [Fact]
    public void ASingleObjectIsReadAsABatchOfOne()
    {
        var one = new BayeuxMessage { Channel = "/meta/handshake", Version = "1.0", SupportedConnectionTypes = ["long-polling", "websocket"] };

        var result = Parse(BayeuxCodec.Serialize(one));

        var message = Assert.Single(result.Messages!);
        Assert.Equal("/meta/handshake", message.Channel);
        Assert.Equal("1.0", message.Version);
        Assert.Equal(["long-polling", "websocket"], message.SupportedConnectionTypes!);
    }

    [Fact]
    public void SerializeLeavesOutNullFields()
    {
        var json = BayeuxCodec.Serialize(new BayeuxMessage { Channel = "/meta/connect", Successful = true });

        Assert.Equal("{\"channel\":\"/meta/connect\",\"successful\":true}", json);
    }

    [Fact]
    public void UnknownFieldsAreIgnored()
    {
        var result = Parse("[{\"channel\":\"/a/b\",\"id\":\"1\",\"whatever\":{\"deep\":[1,2]},\"x-custom\":true,\"data\":42}]");

        var message = Assert.Single(result.Messages!);
        Assert.Null(message.InvalidReason);
        Assert.Equal("/a/b", message.Channel);
        Assert.Equal(42, message.Data!.Value.GetInt32());
        Assert.DoesNotContain("whatever", BayeuxCodec.Serialize(message), StringComparison.Ordinal);
    }

    [Fact]
    public void NumericIdAndClientIdAreKeptAsStrings()
    {
        var result = Parse("[{\"channel\":\"/a/b\",\"id\":12,\"clientId\":345678901234567890123}]");

        var message = Assert.Single(result.Messages!);
        Assert.Null(message.InvalidReason);
        Assert.Equal("12", message.Id);
        Assert.Equal("345678901234567890123", message.ClientId);
        var json = BayeuxCodec.Serialize(message);
        Assert.Contains("\"id\":\"12\"", json, StringComparison.Ordinal);
        Assert.Contains("\"clientId\":\"345678901234567890123\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void AMessageWithAWrongTypedFieldIsMarkedInvalidWhileTheOthersParse()
    {
        var result = Parse("[{\"channel\":\"/a/b\",\"id\":\"1\",\"data\":1},{\"channel\":5,\"id\":\"2\"},{\"channel\":\"/a/c\",\"id\":3,\"data\":\"x\"}]");

        Assert.True(result.Success, result.Error);
        var messages = result.Messages!;
        Assert.Equal(3, messages.Length);
        Assert.Null(messages[0].InvalidReason);
        Assert.Equal("/a/b", messages[0].Channel);
        Assert.Equal("400::message_invalid", messages[1].InvalidReason);
        Assert.Equal("2", messages[1].Id);
        Assert.Null(messages[2].InvalidReason);
        Assert.Equal("/a/c", messages[2].Channel);
        Assert.Equal("3", messages[2].Id);
        Assert.Equal("x", messages[2].Data!.Value.GetString());
    }

    [Fact]
    public void AWrongTypedBooleanIdIsMarkedInvalidButTheChannelIsKeptForTheReply()
    {
        var result = Parse("[{\"channel\":\"/meta/connect\",\"id\":true}]");

        var message = Assert.Single(result.Messages!);
        Assert.Equal("400::message_invalid", message.InvalidReason);
        Assert.Equal("/meta/connect", message.Channel);
        Assert.Null(message.Id);
    }

    [Fact]
    public void ANonObjectEntryInABatchIsMarkedInvalid()
    {
        var result = Parse("[1,{\"channel\":\"/a/b\"}]");

        Assert.True(result.Success, result.Error);
        Assert.Equal("400::message_invalid", result.Messages![0].InvalidReason);
        Assert.Null(result.Messages[1].InvalidReason);
    }

    [Theory]
    [InlineData("[{\"channel\":\"/a/b\"")]
    [InlineData("{\"channel\":")]
    [InlineData("[{\"channel\":\"/a/b\",}]")]
    [InlineData("not json")]
    [InlineData("[{'channel':'/a'}]")]
    public void MalformedJsonFailsWithAnError(string body)
    {
        var result = Parse(body);

        Assert.False(result.Success);
        Assert.Null(result.Messages);
        Assert.StartsWith("400:", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[{\"channel\":\"/a/b\"}] trailing")]
    [InlineData("[{\"channel\":\"/a/b\"}]]")]
    [InlineData("{\"channel\":\"/a/b\"}{\"channel\":\"/a/c\"}")]
    public void TrailingContentAfterTheJsonValueIsMalformed(string body)
    {
        var result = Parse(body);

        Assert.False(result.Success);
        Assert.Equal("400::json_invalid", result.Error);
    }

    [Fact]
    public void MalformedJsonInTheStringOverloadFailsToo()
    {
        var result = BayeuxCodec.Parse("[{\"channel\"", Max);

        Assert.False(result.Success);
        Assert.Equal("400::json_invalid", result.Error);
    }

    [Fact]
    public void MoreThanMaxMessagesIsRefusedAsTooMany()
    {
        var body = "[" + string.Join(",", Enumerable.Repeat("{\"channel\":\"/a/b\"}", 4)) + "]";

        var result = Parse(body, max: 3);

        Assert.False(result.Success);
        Assert.Equal("413::too_many_messages", result.Error);
    }

    [Fact]
    public void MoreThanMaxMessagesIsRefusedAsTooManyEvenWhenOneIsInvalid()
    {
        var body = "[{\"channel\":5}," + string.Join(",", Enumerable.Repeat("{\"channel\":\"/a/b\"}", 3)) + "]";

        var result = Parse(body, max: 3);

        Assert.Equal("413::too_many_messages", result.Error);
    }

    [Fact]
    public void ExactlyMaxMessagesIsAccepted()
    {
        var body = "[" + string.Join(",", Enumerable.Repeat("{\"channel\":\"/a/b\"}", 3)) + "]";

        Assert.Equal(3, Parse(body, max: 3).Messages!.Length);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\r\n\t ")]
    public void AnEmptyBodyFails(string body)
    {
        var result = Parse(body);

        Assert.False(result.Success);
        Assert.Equal("400::empty_body", result.Error);
    }

    [Fact]
    public void AnEmptyArrayFails()
    {
        var result = Parse("[]");

        Assert.False(result.Success);
        Assert.Equal("400::empty_batch", result.Error);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("42")]
    [InlineData("\"text\"")]
    [InlineData("[null]")]
    public void AJsonValueThatIsNotAMessageFails(string body)
    {
        var result = Parse(body);

        Assert.False(result.Success);
        Assert.StartsWith("400:", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void AUtf8ByteOrderMarkBeforeTheBodyIsSkipped()
    {
        var bytes = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes("[{\"channel\":\"/a/b\"}]")).ToArray();

        var result = BayeuxCodec.Parse(bytes, Max);

        Assert.True(result.Success, result.Error);
        Assert.Equal("/a/b", Assert.Single(result.Messages!).Channel);
    }

    [Fact]
    public void ChineseTextAndEmojiSurviveEncodeAndDecode()
    {
        const string text = "你好，世界！小纸条 😀👍🏽 𠮷";
        var request = "[{\"channel\":\"/chat/room\",\"data\":{\"text\":\"" + text + "\"}}]";

        var message = Assert.Single(Parse(request).Messages!);
        Assert.Equal(text, message.Data!.Value.GetProperty("text").GetString());

        var delivery = BayeuxCodec.EncodeDelivery("/chat/room", message.Data!.Value);
        using var decoded = JsonDocument.Parse(delivery.Utf8Json);
        Assert.Equal(text, decoded.RootElement.GetProperty("data").GetProperty("text").GetString());

        var buffer = new ArrayBufferWriter<byte>();
        BayeuxCodec.WriteBatch(buffer, [delivery], [new BayeuxMessage { Channel = "/chat/room", Id = "1", Successful = true, Error = text }]);
        var batch = Parse(Encoding.UTF8.GetString(buffer.WrittenSpan)).Messages!;
        Assert.Equal(text, Assert.Single(batch, m => m.Id == "1").Error);
        Assert.Equal(text, Assert.Single(batch, m => m.Data is not null).Data!.Value.GetProperty("text").GetString());
    }

    [Fact]
    public void ChineseTextIsWrittenAsUtf8NotAsEscapes()
    {
        var delivery = BayeuxCodec.EncodeDelivery("/chat/room", Json.Parse("\"你好，世界\""));
        var buffer = new ArrayBufferWriter<byte>();
        BayeuxCodec.WriteBatch(buffer, [delivery], [new BayeuxMessage { Channel = "/meta/connect", Error = "小纸条" }]);

        var text = Encoding.UTF8.GetString(buffer.WrittenSpan);
        Assert.Contains("你好，世界", text, StringComparison.Ordinal);
        Assert.Contains("小纸条", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ChineseTextSurvivesTheStringOverload()
    {
        const string text = "群聊 🎉";

        var message = Assert.Single(BayeuxCodec.Parse("{\"channel\":\"/g/1\",\"data\":\"" + text + "\"}", Max).Messages!);

        Assert.Equal(text, message.Data!.Value.GetString());
    }

    [Fact]
    public void DataOfAMessageReadLenientlyOutlivesTheNextParse()
    {
        // The string overload parses from a pooled buffer: what it returns must not point into it.
        var first = BayeuxCodec.Parse("[{\"channel\":5},{\"channel\":\"/a/b\",\"data\":{\"text\":\"first\"},\"ext\":{\"k\":\"v\"}}]", Max);
        for (var i = 0; i < 10; i++)
            BayeuxCodec.Parse("[{\"channel\":6},{\"channel\":\"/z/z\",\"data\":{\"text\":\"XXXXXXXXXXXXXXXXX\"},\"ext\":{\"k\":\"ZZ\"}}]", Max);

        var message = first.Messages![1];
        Assert.Equal("first", message.Data!.Value.GetProperty("text").GetString());
        Assert.Equal("v", (string?)message.GetExt("k"));
    }

    [Fact]
    public void EncodeDeliveryContainsOnlyChannelAndData()
    {
        var delivery = BayeuxCodec.EncodeDelivery("/chat/room", Json.Parse("{\"text\":\"hi\",\"clientId\":\"inside-data-is-fine\"}"));

        using var document = JsonDocument.Parse(delivery.Utf8Json);
        var names = document.RootElement.EnumerateObject().Select(p => p.Name).ToArray();
        Assert.Equal(["channel", "data"], names);
        Assert.Equal("/chat/room", document.RootElement.GetProperty("channel").GetString());
        Assert.Equal("/chat/room", delivery.Channel);
    }

    [Fact]
    public void EncodeDeliveryAddsExtOnlyWhenGiven()
    {
        var delivery = BayeuxCodec.EncodeDelivery("/a/b", Json.Parse("1"), new System.Text.Json.Nodes.JsonObject { ["seq"] = 7 });

        using var document = JsonDocument.Parse(delivery.Utf8Json);
        Assert.Equal(["channel", "data", "ext"], document.RootElement.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal(7, document.RootElement.GetProperty("ext").GetProperty("seq").GetInt32());
    }

    [Fact]
    public void WriteBatchWritesRepliesThenDeliveriesThenTheConnectReplyInOneArray()
    {
        var buffer = new ArrayBufferWriter<byte>();
        var delivery = BayeuxCodec.EncodeDelivery("/a/b", Json.Parse("{\"n\":1}"));

        BayeuxCodec.WriteBatch(buffer, [delivery],
        [
            new BayeuxMessage { Channel = "/meta/connect", Id = "5", Successful = true },
            new BayeuxMessage { Channel = "/meta/subscribe", Id = "4", Successful = true },
        ]);

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        Assert.Equal(JsonValueKind.Array, document.RootElement.ValueKind);
        Assert.Equal(["/meta/subscribe", "/a/b", "/meta/connect"], document.RootElement.EnumerateArray().Select(e => e.GetProperty("channel").GetString()));
        Assert.True(document.RootElement[2].GetProperty("successful").GetBoolean());
    }
}
