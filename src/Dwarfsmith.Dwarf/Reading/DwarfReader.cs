using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Dwarfsmith.Dwarf.Reading;

/// <summary>
/// Forward cursor over a DWARF section (or a slice of one). It knows the section's name and the
/// offset of its first byte within the section, so that every failure is a
/// <see cref="DwarfFormatException"/> naming the section and the offset of the offending byte.
/// </summary>
public ref struct DwarfReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    public DwarfReader(ReadOnlySpan<byte> data, string section, long baseOffset = 0)
    {
        _data = data;
        Section = section;
        BaseOffset = baseOffset;
    }

    public string Section { get; }

    /// <summary>Section offset of the first byte of the span.</summary>
    public long BaseOffset { get; }

    /// <summary>Position within the span.</summary>
    public int Position
    {
        readonly get => _position;
        set
        {
            if ((uint)value > (uint)_data.Length)
                throw Error("position out of range");
            _position = value;
        }
    }

    /// <summary>Section offset of the next byte.</summary>
    public readonly long Offset => BaseOffset + _position;

    public readonly int Remaining => _data.Length - _position;

    public readonly bool AtEnd => _position >= _data.Length;

    public readonly ReadOnlySpan<byte> Data => _data;

    public readonly DwarfFormatException Error(string reason) => new(reason, Section, Offset);

    public readonly DwarfFormatException ErrorAt(long sectionOffset, string reason) => new(reason, Section, sectionOffset);

    /// <summary>Moves to a section offset.</summary>
    public void Seek(long sectionOffset)
    {
        var position = sectionOffset - BaseOffset;
        if (position < 0 || position > _data.Length)
            throw new DwarfFormatException($"offset 0x{sectionOffset:X} is outside the section (0x{BaseOffset + _data.Length:X} bytes)", Section, sectionOffset);
        _position = (int)position;
    }

    /// <summary>A reader over the next <paramref name="length"/> bytes (section offsets kept), advancing this one past them.</summary>
    public DwarfReader Slice(ulong length)
    {
        var start = Offset;
        var bytes = ReadBytes(length);
        return new DwarfReader(bytes, Section, start);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public byte ReadU8()
    {
        if (_position >= _data.Length)
            throw Error("unexpected end of data");
        return _data[_position++];
    }

    public ushort ReadU16() => BinaryPrimitives.ReadUInt16LittleEndian(Take(2));

    public uint ReadU24()
    {
        var b = Take(3);
        return (uint)(b[0] | (b[1] << 8) | (b[2] << 16));
    }

    public uint ReadU32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));

    public ulong ReadU64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

    /// <summary>An unsigned little-endian integer of 1, 2, 3, 4 or 8 bytes.</summary>
    public ulong ReadUInt(int size) => size switch
    {
        1 => ReadU8(),
        2 => ReadU16(),
        3 => ReadU24(),
        4 => ReadU32(),
        8 => ReadU64(),
        _ => throw Error($"unsupported integer size {size}"),
    };

    /// <summary>A section offset: 4 bytes in 32-bit DWARF, 8 in 64-bit DWARF.</summary>
    public ulong ReadOffset(int offsetSize) => offsetSize == 8 ? ReadU64() : ReadU32();

    /// <summary>A target address of <paramref name="addressSize"/> bytes.</summary>
    public ulong ReadAddress(int addressSize) => addressSize switch
    {
        4 => ReadU32(),
        8 => ReadU64(),
        2 => ReadU16(),
        1 => ReadU8(),
        _ => throw Error($"unsupported address size {addressSize}"),
    };

    /// <summary>An unsigned LEB128 of at most 10 bytes whose value fits 64 bits.</summary>
    public ulong ReadULeb128()
    {
        var start = _position;
        ulong result = 0;
        var shift = 0;
        while (true)
        {
            if (_position >= _data.Length)
                throw ErrorAt(BaseOffset + start, "unexpected end of data in LEB128");
            var b = _data[_position++];
            if (shift == 63 && (b & 0x7E) != 0)
                throw ErrorAt(BaseOffset + start, "LEB128 overflows 64 bits");
            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
                return result;
            shift += 7;
            if (shift > 63)
                throw ErrorAt(BaseOffset + start, "LEB128 longer than 10 bytes");
        }
    }

    /// <summary>A signed LEB128 of at most 10 bytes whose value fits 64 bits.</summary>
    public long ReadSLeb128()
    {
        var start = _position;
        long result = 0;
        var shift = 0;
        byte b;
        while (true)
        {
            if (_position >= _data.Length)
                throw ErrorAt(BaseOffset + start, "unexpected end of data in LEB128");
            b = _data[_position++];
            if (shift == 63 && b != 0 && b != 0x7F)
                throw ErrorAt(BaseOffset + start, "LEB128 overflows 64 bits");
            result |= (long)(b & 0x7F) << shift;
            shift += 7;
            if ((b & 0x80) == 0)
                break;
            if (shift > 63)
                throw ErrorAt(BaseOffset + start, "LEB128 longer than 10 bytes");
        }

        if (shift < 64 && (b & 0x40) != 0)
            result |= -1L << shift;
        return result;
    }

    /// <summary>An unsigned LEB128 that must fit 32 bits.</summary>
    public uint ReadULeb128U32()
    {
        var start = Offset;
        var value = ReadULeb128();
        if (value > uint.MaxValue)
            throw ErrorAt(start, "LEB128 value too large");
        return (uint)value;
    }

    public ReadOnlySpan<byte> ReadBytes(ulong count)
    {
        if (count > (ulong)(_data.Length - _position))
            throw Error($"unexpected end of data: need 0x{count:X} bytes, have 0x{_data.Length - _position:X}");
        var span = _data.Slice(_position, (int)count);
        _position += (int)count;
        return span;
    }

    public void Skip(ulong count) => ReadBytes(count);

    /// <summary>A NUL-terminated string; returns its bytes without the NUL.</summary>
    public ReadOnlySpan<byte> ReadCString()
    {
        var rest = _data[_position..];
        var end = rest.IndexOf((byte)0);
        if (end < 0)
            throw Error("unterminated string");
        _position += end + 1;
        return rest[..end];
    }

    /// <summary>Skips a NUL-terminated string.</summary>
    public void SkipCString() => ReadCString();

    /// <summary>
    /// A unit's initial length: 4 bytes, or 0xFFFFFFFF followed by 8 bytes in 64-bit DWARF.
    /// Returns the length and the offset size (4 or 8).
    /// </summary>
    public (ulong Length, int OffsetSize) ReadInitialLength()
    {
        var start = Offset;
        var length = ReadU32();
        if (length < 0xFFFFFFF0)
            return (length, 4);
        if (length == 0xFFFFFFFF)
            return (ReadU64(), 8);
        throw ErrorAt(start, $"reserved unit length 0x{length:X}");
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ReadOnlySpan<byte> Take(int count)
    {
        if (_data.Length - _position < count)
            throw Error("unexpected end of data");
        var span = _data.Slice(_position, count);
        _position += count;
        return span;
    }
}
