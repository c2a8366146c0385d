using System.Buffers;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Parley.Bayeux.Messages;

namespace Parley.Bench.Micro;

/// <summary>
/// The codec on the hot path, no sockets: reading a frame of publishes as the load generator
/// sends them, encoding one delivery (once per broadcast), and writing ten queued deliveries
/// plus the connect reply as one response (once per session per flush).
/// </summary>
[MemoryDiagnoser]
public class CodecBenchmarks
{
    private const string Room = "/bench/room/7";

    private byte[] _publishBatch = [];
    private byte[] _connect = [];
    private JsonElement _data;
    private EncodedMessage[] _deliveries = [];
    private BayeuxMessage[] _connectReply = [];
    private readonly ArrayBufferWriter<byte> _output = new(4096);

    [GlobalSetup]
    public void Setup()
    {
        // What bench/Parley.Bench's fanout scenario sends with --batch-size 10 --message-size 64.
        var publishes = new StringBuilder("[");
        for (var i = 0; i < 10; i++)
        {
            if (i > 0)
                publishes.Append(',');
            publishes.Append("{\"channel\":\"").Append(Room).Append("\",\"clientId\":\"3f9a0c2b7d614e58a1b2c3d4e5f60718\",")
                .Append("\"data\":{\"o\":0,\"r\":7,\"k\":").Append(1000 + i).Append(",\"p\":42,\"s\":").Append(500 + i)
                .Append(",\"t\":123456789012345,\"x\":\"").Append('x', 16).Append("\"},\"id\":\"").Append(77 + i).Append("\"}");
        }
        publishes.Append(']');
        _publishBatch = Encoding.UTF8.GetBytes(publishes.ToString());
        _connect = """[{"channel":"/meta/connect","clientId":"3f9a0c2b7d614e58a1b2c3d4e5f60718","connectionType":"long-polling","id":"12"}]"""u8.ToArray();

        var parsed = BayeuxCodec.Parse(_publishBatch, 100);
        _data = parsed.Messages![0].Data!.Value;
        _deliveries = new EncodedMessage[10];
        for (var i = 0; i < _deliveries.Length; i++)
            _deliveries[i] = BayeuxCodec.EncodeDelivery(Room, parsed.Messages[i].Data!.Value);
        _connectReply = [new BayeuxMessage { Channel = "/meta/connect", Id = "12", Successful = true }];
    }

    [Benchmark(Description = "Parse: a frame of 10 publishes")]
    public int ParsePublishBatch() => BayeuxCodec.Parse(_publishBatch, 100).Messages!.Length;

    [Benchmark(Description = "Parse: one /meta/connect")]
    public int ParseConnect() => BayeuxCodec.Parse(_connect, 100).Messages!.Length;

    [Benchmark(Description = "EncodeDelivery: one broadcast")]
    public int EncodeDelivery() => BayeuxCodec.EncodeDelivery(Room, _data).Utf8Json.Length;

    [Benchmark(Description = "WriteBatch: 10 deliveries + connect reply")]
    public int WriteBatchOfTen()
    {
        _output.ResetWrittenCount();
        BayeuxCodec.WriteBatch(_output, _deliveries, _connectReply);
        return _output.WrittenCount;
    }
}
