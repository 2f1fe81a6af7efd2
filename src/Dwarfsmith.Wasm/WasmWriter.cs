using System.Buffers.Binary;
using System.Text;

namespace Dwarfsmith.Wasm;

/// <summary>
/// Growable byte buffer with the encodings of the wasm binary format. LEB128 writers take an
/// optional fixed width so that padded encodings (as wasm-ld leaves at relocations) can be kept.
/// </summary>
public sealed class WasmWriter
{
    private byte[] _buffer;
    private int _length;

    public WasmWriter(int capacity = 256)
    {
        _buffer = new byte[Math.Max(16, capacity)];
    }

    public int Length => _length;

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _length);

    public byte[] ToArray() => WrittenSpan.ToArray();

    /// <summary>
    /// The written bytes, handing over the buffer itself when it is exactly full (a writer sized to
    /// its output), else a copy; the writer is empty afterwards.
    /// </summary>
    public byte[] DetachWritten()
    {
        var written = _length == _buffer.Length ? _buffer : ToArray();
        _buffer = new byte[16];
        _length = 0;
        return written;
    }

    public void Clear() => _length = 0;

    /// <summary>
    /// The free space after the written bytes, at least <paramref name="count"/> long, for a caller
    /// that encodes in place and then commits what it wrote with <see cref="Advance"/>.
    /// </summary>
    internal Span<byte> GetSpan(int count)
    {
        if (_length + count > _buffer.Length)
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + count));
        return _buffer.AsSpan(_length);
    }

    /// <summary>Commits <paramref name="count"/> bytes written into <see cref="GetSpan"/>'s span.</summary>
    internal void Advance(int count)
    {
        if ((uint)count > (uint)(_buffer.Length - _length))
            throw new ArgumentOutOfRangeException(nameof(count));
        _length += count;
    }

    private Span<byte> Grow(int count)
    {
        var span = GetSpan(count)[..count];
        _length += count;
        return span;
    }

    public void WriteByte(byte value) => Grow(1)[0] = value;

    public void WriteBytes(ReadOnlySpan<byte> bytes) => bytes.CopyTo(Grow(bytes.Length));

    public void WriteFixedUInt32(uint value) => BinaryPrimitives.WriteUInt32LittleEndian(Grow(4), value);

    public void WriteFixedUInt64(ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(Grow(8), value);

    public void WriteFloat32(float value) => WriteFixedUInt32((uint)BitConverter.SingleToInt32Bits(value));

    public void WriteFloat64(double value) => WriteFixedUInt64((ulong)BitConverter.DoubleToInt64Bits(value));

    /// <summary>Unsigned LEB128; <paramref name="width"/> &gt; 0 pads to exactly that many bytes.</summary>
    public void WriteVarUInt32(uint value, int width = 0) => WriteVarUInt64(value, width);

    // Room for exactly the bytes written: a writer sized to its output must not grow at its last LEB.
    public void WriteVarUInt64(ulong value, int width = 0) =>
        Advance(Leb128.WriteUnsigned(GetSpan(Math.Max(width, SizeOfVarUInt(value))), value, width));

    public void WriteVarInt32(int value, int width = 0) => WriteVarInt64(value, width);

    public void WriteVarInt64(long value, int width = 0) =>
        Advance(Leb128.WriteSigned(GetSpan(Math.Max(width, SizeOfVarInt(value))), value, width));

    public void WriteName(string name)
    {
        var count = Encoding.UTF8.GetByteCount(name);
        WriteVarUInt32((uint)count);
        Encoding.UTF8.GetBytes(name, Grow(count));
    }

    /// <summary>Writes a length-prefixed blob (the form of every section payload and function body).</summary>
    public void WriteSized(ReadOnlySpan<byte> payload)
    {
        WriteVarUInt32((uint)payload.Length);
        WriteBytes(payload);
    }

    public static int SizeOfVarUInt(ulong value)
    {
        var size = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            size++;
        }
        return size;
    }

    public static int SizeOfVarInt(long value)
    {
        var size = 1;
        while (value is < -64 or > 63)
        {
            value >>= 7;
            size++;
        }
        return size;
    }
}
