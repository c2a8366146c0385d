using System.Buffers;

namespace Parley.Bayeux.AspNetCore.Http;

/// <summary>
/// A growable buffer rented from the shared pool and returned on dispose, so an idle connection
/// holds no buffer of its own between messages.
/// </summary>
internal sealed class PooledBufferWriter(int initialSize = 4096) : IBufferWriter<byte>, IDisposable
{
    private byte[]? _buffer;
    private int _written;

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _written);

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _written);

    public int WrittenCount => _written;

    public void Advance(int count) => _written += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_written);
    }

    /// <summary>Forgets the content and gives the buffer back to the pool.</summary>
    public void Dispose()
    {
        if (_buffer is not null)
            ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = null;
        _written = 0;
    }

    private void Ensure(int sizeHint)
    {
        var needed = _written + Math.Max(sizeHint, 1);
        if (_buffer is not null && needed <= _buffer.Length)
            return;
        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, _buffer is null ? initialSize : _buffer.Length * 2));
        if (_buffer is not null)
        {
            _buffer.AsSpan(0, _written).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
        }
        _buffer = larger;
    }
}
