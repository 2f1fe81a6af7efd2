using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Dwarfsmith.Dwarf.Writing;

/// <summary>A growable little-endian byte buffer with LEB128 and fixed-width writers and patching.</summary>
internal sealed class ByteBuffer : IBufferWriter<byte>
{
    private byte[] _data;
    private int _length;

    public ByteBuffer(int capacity = 256) => _data = new byte[Math.Max(16, capacity)];

    public int Length => _length;

    public ReadOnlySpan<byte> Written => _data.AsSpan(0, _length);

    /// <summary>The written bytes as memory over the buffer (no copy; valid until the buffer is written again).</summary>
    public ReadOnlyMemory<byte> WrittenMemory => _data.AsMemory(0, _length);

    public Span<byte> Reserve(int count)
    {
        Ensure(count);
        var span = _data.AsSpan(_length, count);
        _length += count;
        return span;
    }

    public void Advance(int count) => _length += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(Math.Max(sizeHint, 1));
        return _data.AsMemory(_length);
    }

    public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

    /// <summary>Makes room for <paramref name="count"/> more bytes at once (one copy instead of repeated doubling).</summary>
    public void ReserveCapacity(int count) => Ensure(count);

    private void Ensure(int count)
    {
        if (_length + count > _data.Length)
            Grow(count);
    }

    /// <summary>Out of line, so that the writers that call it stay small enough to be inlined.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Grow(int count)
    {
        var data = new byte[Math.Max(_data.Length * 2, _length + count)];
        _data.AsSpan(0, _length).CopyTo(data);
        _data = data;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteU8(byte value)
    {
        if (_length == _data.Length)
            Grow(1);
        _data[_length++] = value;
    }

    public void WriteU16(ushort value) => BinaryPrimitives.WriteUInt16LittleEndian(Reserve(2), value);

    public void WriteU32(uint value) => BinaryPrimitives.WriteUInt32LittleEndian(Reserve(4), value);

    public void WriteU64(ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(Reserve(8), value);

    /// <summary>Writes the low <paramref name="size"/> bytes (1–8) of a value.</summary>
    public void WriteFixed(ulong value, int size) => WriteFixed(Reserve(size), value);

    public void WriteBytes(ReadOnlySpan<byte> bytes) => bytes.CopyTo(Reserve(bytes.Length));

    public void WriteZeros(int count) => Reserve(count).Clear();

    public void WriteUleb(ulong value)
    {
        Ensure(10); // the longest ULEB128 of 64 bits
        var data = _data;
        int length = _length;
        while (value >= 0x80)
        {
            data[length++] = (byte)(value | 0x80);
            value >>= 7;
        }

        data[length++] = (byte)value;
        _length = length;
    }

    /// <summary>Writes a ULEB128 padded to exactly <paramref name="width"/> bytes.</summary>
    public void WriteUleb(ulong value, int width) => WritePaddedUleb(Reserve(width), value);

    /// <summary>Overwrites <paramref name="width"/> bytes at <paramref name="at"/> with a padded ULEB128.</summary>
    public void PatchUleb(int at, ulong value, int width) => WritePaddedUleb(_data.AsSpan(at, width), value);

    private static void WritePaddedUleb(Span<byte> span, ulong value)
    {
        if (!Leb.TryWriteUleb(span, value))
            throw new InvalidOperationException($"value does not fit a {span.Length}-byte ULEB128");
    }

    public void WriteSleb(long value)
    {
        Ensure(10); // the longest SLEB128 of 64 bits
        var data = _data;
        int length = _length;
        while (true)
        {
            byte b = (byte)(value & 0x7F);
            value >>= 7;
            bool done = (value == 0 && (b & 0x40) == 0) || (value == -1 && (b & 0x40) != 0);
            data[length++] = done ? b : (byte)(b | 0x80);
            if (done)
                break;
        }

        _length = length;
    }

    /// <summary>Writes a unit length placeholder (0xFFFFFFFF escape for 64-bit DWARF); returns the position to patch.</summary>
    public int ReserveUnitLength(int offsetSize)
    {
        if (offsetSize == 8)
        {
            WriteU32(0xFFFFFFFF);
            int at = _length;
            WriteU64(0);
            return at;
        }

        int pos = _length;
        WriteU32(0);
        return pos;
    }

    /// <summary>Patches a unit length reserved at <paramref name="at"/>: the bytes from after it to the end.</summary>
    public void PatchUnitLength(int at, int offsetSize) =>
        PatchFixed(at, (ulong)(_length - at - offsetSize), offsetSize);

    public void PatchFixed(int at, ulong value, int size) => WriteFixed(_data.AsSpan(at, size), value);

    public void Clear() => _length = 0;

    public byte[] ToArray() => _data.AsSpan(0, _length).ToArray();

    private static void WriteFixed(Span<byte> span, ulong value)
    {
        switch (span.Length)
        {
            case 1: span[0] = (byte)value; break;
            case 2: BinaryPrimitives.WriteUInt16LittleEndian(span, (ushort)value); break;
            case 4: BinaryPrimitives.WriteUInt32LittleEndian(span, (uint)value); break;
            case 8: BinaryPrimitives.WriteUInt64LittleEndian(span, value); break;
            default:
                for (int i = 0; i < span.Length; i++, value >>= 8)
                    span[i] = (byte)value;
                break;
        }
    }
}
