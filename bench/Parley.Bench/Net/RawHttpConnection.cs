using System.Buffers;
using System.Buffers.Text;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Parley.Bench.Net;

/// <summary>
/// One keep-alive HTTP/1.1 connection that sends GETs and reads their answers (Content-Length or
/// chunked), with none of HttpClient's per-request objects: the closed-loop HTTP scenarios would
/// otherwise spend more of the shared cores in the generator than in the server they measure.
/// </summary>
internal sealed class RawHttpConnection : IDisposable
{
    private static readonly byte[] HeaderEnd = "\r\n\r\n"u8.ToArray();
    private readonly Socket _socket;
    private readonly byte[] _host;
    private byte[] _buffer = new byte[16 * 1024];
    private int _start, _end;

    private RawHttpConnection(Socket socket, string host)
    {
        _socket = socket;
        _host = Encoding.ASCII.GetBytes(host);
    }

    public static async Task<RawHttpConnection> OpenAsync(LocalEndpoints endpoints, int index, Uri origin, CancellationToken cancellationToken)
    {
        var socket = await endpoints.ConnectSocketAsync(index, new DnsEndPoint(origin.Host, origin.Port), cancellationToken);
        return new RawHttpConnection(socket, origin.Authority);
    }

    /// <summary>GET <paramref name="pathAndQuery"/>; the body stays valid until the next call.</summary>
    public async Task<(int Status, ReadOnlyMemory<byte> Body)> GetAsync(string pathAndQuery, CancellationToken cancellationToken)
    {
        // Unread bytes (usually none) move to the front, so no response is ever moved while read.
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }
        var request = new ArrayBufferWriter<byte>(256);
        request.Write("GET "u8);
        Encoding.ASCII.GetBytes(pathAndQuery, request);
        request.Write(" HTTP/1.1\r\nHost: "u8);
        request.Write(_host);
        request.Write("\r\n\r\n"u8);
        await _socket.SendAsync(request.WrittenMemory, SocketFlags.None, cancellationToken);

        // Status line and headers.
        int headerEnd;
        while ((headerEnd = _buffer.AsSpan(_start, _end - _start).IndexOf(HeaderEnd)) < 0)
            await FillAsync(cancellationToken);
        var (status, contentLength, chunked) = ParseHead(_buffer.AsSpan(_start, headerEnd));
        _start += headerEnd + HeaderEnd.Length;

        if (!chunked)
        {
            var length = (int)Math.Max(0, contentLength);
            while (_end - _start < length)
                await FillAsync(cancellationToken);
            var body = _buffer.AsMemory(_start, length);
            _start += length;
            return (status, body);
        }

        // Chunked: each chunk's data is moved down behind the previous one, from where the body starts.
        var bodyStart = _start;
        var bodyLength = 0;
        while (true)
        {
            int lineEnd;
            while ((lineEnd = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n"u8)) < 0)
                await FillAsync(cancellationToken);
            var sizeText = _buffer.AsSpan(_start, lineEnd);
            if (sizeText.IndexOf((byte)';') is var semicolon and >= 0)
                sizeText = sizeText[..semicolon];
            if (!Utf8Parser.TryParse(sizeText, out int size, out _, 'x'))
                throw new IOException("bad chunk size");
            _start += lineEnd + 2;
            while (_end - _start < size + 2)
                await FillAsync(cancellationToken);
            if (size == 0)
            {
                _start += 2; // the empty line after the last chunk (no trailers)
                return (status, _buffer.AsMemory(bodyStart, bodyLength));
            }
            _buffer.AsSpan(_start, size).CopyTo(_buffer.AsSpan(bodyStart + bodyLength));
            bodyLength += size;
            _start += size + 2;
        }
    }

    private static (int Status, long ContentLength, bool Chunked) ParseHead(ReadOnlySpan<byte> head)
    {
        // "HTTP/1.1 200 OK", then "Name: value" lines.
        var status = head.Length >= 12 && Utf8Parser.TryParse(head.Slice(9, 3), out int code, out _) ? code : 0;
        var contentLength = -1L;
        var chunked = false;
        foreach (var range in head.Split("\r\n"u8))
        {
            var line = head[range];
            var colon = line.IndexOf((byte)':');
            if (colon <= 0)
                continue;
            var name = line[..colon];
            var value = line[(colon + 1)..].Trim((byte)' ');
            if (Ascii.EqualsIgnoreCase(name, "content-length"u8) && Utf8Parser.TryParse(value, out long length, out _))
                contentLength = length;
            else if (Ascii.EqualsIgnoreCase(name, "transfer-encoding"u8) && Ascii.EqualsIgnoreCase(value, "chunked"u8))
                chunked = true;
        }
        return (status, contentLength, chunked);
    }

    private async Task FillAsync(CancellationToken cancellationToken)
    {
        if (_end == _buffer.Length)
            Array.Resize(ref _buffer, _buffer.Length * 2);
        var n = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, cancellationToken);
        if (n == 0)
            throw new IOException("the server closed the connection");
        _end += n;
    }

    public void Dispose() => _socket.Dispose();
}
