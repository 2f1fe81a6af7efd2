using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;

namespace Dwarfsmith.Wasm;

/// <summary>
/// Forward-only cursor over a slice of a wasm file. It knows the slice's absolute file offset and
/// the section it belongs to, so every failure becomes a <see cref="WasmFormatException"/> that
/// points at the offending byte.
/// </summary>
public ref struct WasmReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    public WasmReader(ReadOnlySpan<byte> data, long baseOffset, string section)
    {
        _data = data;
        BaseOffset = baseOffset;
        Section = section;
    }

    /// <summary>Absolute file offset of the first byte of the slice.</summary>
    public long BaseOffset { get; }

    public string Section { get; }

    /// <summary>Position relative to the start of the slice.</summary>
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

    public readonly long AbsoluteOffset => BaseOffset + _position;

    public readonly int Remaining => _data.Length - _position;

    public readonly bool AtEnd => _position >= _data.Length;

    public readonly int Length => _data.Length;

    public readonly ReadOnlySpan<byte> Data => _data;

    public readonly WasmFormatException Error(string reason) => new(reason, Section, AbsoluteOffset);

    public readonly WasmFormatException ErrorAt(int position, string reason) => new(reason, Section, BaseOffset + position);

    /// <summary>A reader over the next <paramref name="length"/> bytes, advancing this one past them.</summary>
    public WasmReader Slice(int length, string section)
    {
        var start = _position;
        var bytes = ReadBytes(length);
        return new WasmReader(bytes, BaseOffset + start, section);
    }

    public byte ReadByte()
    {
        if (_position >= _data.Length)
            throw Error("unexpected end");
        return _data[_position++];
    }

    public readonly byte PeekByte()
    {
        if (_position >= _data.Length)
            throw Error("unexpected end");
        return _data[_position];
    }

    public ReadOnlySpan<byte> ReadBytes(int count)
    {
        if (count < 0 || count > _data.Length - _position)
            throw Error(count < 0 ? "length out of bounds" : "unexpected end");
        var slice = _data.Slice(_position, count);
        _position += count;
        return slice;
    }

    public uint ReadFixedUInt32()
    {
        var bytes = ReadBytes(4);
        return BinaryPrimitives.ReadUInt32LittleEndian(bytes);
    }

    public ulong ReadFixedUInt64()
    {
        var bytes = ReadBytes(8);
        return BinaryPrimitives.ReadUInt64LittleEndian(bytes);
    }

    public float ReadFloat32() => BitConverter.Int32BitsToSingle((int)ReadFixedUInt32());

    public double ReadFloat64() => BitConverter.Int64BitsToDouble((long)ReadFixedUInt64());

    /// <summary>Unsigned LEB128 of at most 32 bits (at most 5 bytes, no stray high bits).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint ReadVarUInt32()
    {
        if (_position < _data.Length)
        {
            var b = _data[_position];
            if (b < 0x80)
            {
                _position++;
                return b;
            }
        }
        return ReadVarUInt32Slow();
    }

    private uint ReadVarUInt32Slow() => (uint)ReadUnsignedLeb(32);

    /// <summary>Signed LEB128 of at most 32 bits.</summary>
    public int ReadVarInt32()
    {
        if (_position < _data.Length)
        {
            var b = _data[_position];
            if (b < 0x80)
            {
                _position++;
                return (b & 0x40) != 0 ? b - 0x80 : b;
            }
        }
        return (int)ReadSignedLeb(32);
    }

    /// <summary>Signed LEB128 of at most 64 bits.</summary>
    public long ReadVarInt64()
    {
        if (_position < _data.Length)
        {
            var b = _data[_position];
            if (b < 0x80)
            {
                _position++;
                return (b & 0x40) != 0 ? b - 0x80 : b;
            }
        }
        return ReadSignedLeb(64);
    }

    /// <summary>Signed LEB128 of at most 33 bits (block types).</summary>
    public long ReadVarInt33() => ReadSignedLeb(33);

    /// <summary>Unsigned LEB128 of at most 64 bits.</summary>
    public ulong ReadVarUInt64() => ReadUnsignedLeb(64);

    private ulong ReadUnsignedLeb(int bits)
    {
        var status = Leb128.ReadUnsigned(_data, ref _position, bits, out var value);
        return status == Leb128.Status.Ok ? value : throw LebError(status);
    }

    private long ReadSignedLeb(int bits)
    {
        var status = Leb128.ReadSigned(_data, ref _position, bits, out var value);
        return status == Leb128.Status.Ok ? value : throw LebError(status);
    }

    /// <summary>The error for a LEB that <see cref="Leb128"/> refused at the reader's position.</summary>
    private readonly WasmFormatException LebError(Leb128.Status status) => Error(status switch
    {
        Leb128.Status.End => "unexpected end",
        Leb128.Status.TooLong => "integer representation too long",
        _ => "integer too large",
    });

    /// <summary>A length-prefixed UTF-8 name; invalid UTF-8 is malformed.</summary>
    public string ReadName()
    {
        var length = ReadVarUInt32();
        if (length > (uint)Remaining)
            throw Error("unexpected end");
        var start = _position;
        var bytes = ReadBytes((int)length);
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw ErrorAt(start, "malformed UTF-8 encoding");
        }
    }

    /// <summary>A vector length, bounded by the bytes left so that a corrupt count cannot allocate wildly.</summary>
    public int ReadCount(int minBytesPerItem = 1)
    {
        var start = _position;
        var count = ReadVarUInt32();
        if (minBytesPerItem > 0 && count > (uint)Remaining / (uint)minBytesPerItem)
            throw ErrorAt(start, "unexpected end");
        return (int)count;
    }

    /// <summary>Width in bytes of the LEB128 at <paramref name="position"/> (for keeping padding).</summary>
    public readonly int LebWidthAt(int position)
    {
        var i = position;
        while (i < _data.Length && (_data[i] & 0x80) != 0)
            i++;
        return i - position + 1;
    }
}
