using System.Runtime.CompilerServices;

namespace Dwarfsmith.Wasm.Instructions;

/// <summary>How a block's type is given: empty, one value type, or a function type index.</summary>
public enum BlockTypeKind : byte
{
    Empty,
    Value,
    TypeIndex,
}

/// <summary>A block type (<c>blocktype</c>): 0x40, a value type, or a type index (multi-value).</summary>
public readonly record struct BlockType(BlockTypeKind Kind, ValueType ValueType, uint TypeIndex)
{
    public static BlockType Empty => default;

    public static BlockType Of(ValueType type) => new(BlockTypeKind.Value, type, 0);

    public static BlockType OfTypeIndex(uint index) => new(BlockTypeKind.TypeIndex, 0, index);

    public override string ToString() => Kind switch
    {
        BlockTypeKind.Empty => "[]",
        BlockTypeKind.Value => ValueType.Name(),
        _ => $"type {TypeIndex}",
    };
}

/// <summary>Memory immediate: log2 alignment, offset, and the memory index (0 unless explicitly encoded).</summary>
public readonly record struct MemArg(uint AlignLog2, ulong Offset, uint MemoryIndex = 0)
{
    /// <summary>The flags value as encoded: alignment, plus bit 6 when a memory index follows.</summary>
    public uint EncodedFlags => MemoryIndex != 0 ? AlignLog2 | 0x40 : AlignLog2;
}

/// <summary>Kinds of try_table catch clauses.</summary>
public enum CatchKind : byte
{
    Catch = 0,
    CatchRef = 1,
    CatchAll = 2,
    CatchAllRef = 3,
}

/// <summary>One try_table catch clause; <see cref="TagIndex"/> is 0 for catch_all forms.</summary>
public readonly record struct CatchClause(CatchKind Kind, uint TagIndex, uint LabelIndex);

/// <summary>
/// One decoded instruction. Immediates are kept in three raw fields and interpreted by the accessor
/// matching the opcode's <see cref="ImmediateKind"/>; vectors (br_table targets, try_table catches,
/// typed-select types) stay in the code and are enumerated from it on demand, so decoding never allocates.
/// </summary>
public readonly struct Instruction : IEquatable<Instruction>
{
    // Field use by immediate kind:
    //   index kinds: _a = index;  two-index kinds: _a = first, _b = second
    //   BlockType: _a = type index or value type byte, _b = kind
    //   TryTable: as BlockType, plus _b high 32 bits = catch vector position, _c = catch count
    //   BrTable: _a = default label, _b = position of the first target, _c = target count
    //   MemArg(Lane): _a = offset, _b = memory index | lane << 32, _c = align | HasMemoryIndexFlag
    //   consts: _a = raw bits; V128/Shuffle: _a = bytes 0..7, _b = bytes 8..15 (little endian)
    //   SelectTypes: _a = first type, _b = vector position, _c = count
    private readonly ulong _a;
    private readonly ulong _b;
    private readonly uint _c;

    internal const uint HasMemoryIndexFlag = 0x8000_0000;

    internal Instruction(Opcode opcode, int offset, int length, ulong a, ulong b, uint c)
    {
        Opcode = opcode;
        Offset = offset;
        Length = length;
        _a = a;
        _b = b;
        _c = c;
    }

    public Opcode Opcode { get; }

    /// <summary>Position of the first opcode byte relative to the start of the decoded span.</summary>
    public int Offset { get; }

    /// <summary>Encoded length in bytes (0 for instructions built in code).</summary>
    public int Length { get; }

    public OpcodeInfo Info => OpcodeTable.Get(Opcode);

    // ---- immediates ----

    public BlockType BlockType => (BlockTypeKind)(byte)_b switch
    {
        BlockTypeKind.Empty => BlockType.Empty,
        BlockTypeKind.Value => BlockType.Of((ValueType)(byte)_a),
        _ => BlockType.OfTypeIndex((uint)_a),
    };

    /// <summary>The single index immediate: label, function, local, global, table, tag, data, element, memory index.</summary>
    public uint Index => (uint)_a;

    /// <summary>Second index: call_indirect's table, table.init's table, table.copy's source table.</summary>
    public uint SecondIndex => (uint)_b;

    public uint LabelIndex => (uint)_a;

    public uint FunctionIndex => (uint)_a;

    public uint LocalIndex => (uint)_a;

    public uint GlobalIndex => (uint)_a;

    public uint TagIndex => (uint)_a;

    public uint DataIndex => (uint)_a;

    public uint ElementIndex => (uint)_a;

    /// <summary>Table of table.get/set/size/grow/fill; call_indirect's table (second immediate).</summary>
    public uint TableIndex => Opcode is Opcode.CallIndirect or Opcode.ReturnCallIndirect or Opcode.TableInit ? (uint)_b : (uint)_a;

    /// <summary>call_indirect / return_call_indirect type index.</summary>
    public uint TypeIndex => (uint)_a;

    /// <summary>Memory index of memory ops (memarg), memory.size/grow/fill, memory.init.</summary>
    public uint MemoryIndex => Opcode is Opcode.MemorySize or Opcode.MemoryGrow or Opcode.MemoryFill or Opcode.MemoryCopy ? (uint)_a : (uint)_b;

    public uint DestinationTableIndex => (uint)_a;

    public uint SourceTableIndex => (uint)_b;

    public MemArg MemArg => new(_c & ~HasMemoryIndexFlag, _a, (uint)_b);

    /// <summary>True when the memarg carried an explicit memory index (flags bit 6).</summary>
    public bool HasExplicitMemoryIndex => (_c & HasMemoryIndexFlag) != 0;

    /// <summary>Lane of lane instructions (also of load/store lane ops).</summary>
    public byte Lane => Opcode is >= Opcode.V128Load8Lane and <= Opcode.V128Store64Lane ? (byte)(_b >> 32) : (byte)_a;

    public int I32Value => (int)(uint)_a;

    public long I64Value => (long)_a;

    public uint F32Bits => (uint)_a;

    public ulong F64Bits => _a;

    public float F32Value => BitConverter.UInt32BitsToSingle((uint)_a);

    public double F64Value => BitConverter.UInt64BitsToDouble(_a);

    /// <summary>v128.const value / i8x16.shuffle lanes as 16 little-endian bytes.</summary>
    public UInt128 V128Value => new(_b, _a);

    public void CopyV128To(Span<byte> destination)
    {
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(destination, _a);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(destination[8..], _b);
    }

    /// <summary>ref.null's reference type.</summary>
    public ValueType RefType => (ValueType)(byte)_a;

    /// <summary>br_table: number of targets before the default.</summary>
    public int BrTableCount => Opcode == Opcode.BrTable ? (int)_c : 0;

    public uint BrTableDefault => (uint)_a;

    /// <summary>Typed select: the number of types in its vector (1 in valid code).</summary>
    public int SelectTypeCount => Opcode == Opcode.SelectTyped ? (int)_c : 0;

    /// <summary>Typed select: the first type of its vector.</summary>
    public ValueType SelectType => (ValueType)(byte)_a;

    public int CatchCount => Opcode == Opcode.TryTable ? (int)_c : 0;

    internal ulong RawA => _a;

    internal ulong RawB => _b;

    internal uint RawC => _c;

    internal int VectorPosition => Opcode == Opcode.TryTable ? (int)(_b >> 32) : (int)_b;

    /// <summary>The br_table targets (without the default) read from the decoded span <paramref name="code"/>.</summary>
    public LabelEnumerator GetBrTableTargets(ReadOnlySpan<byte> code) =>
        Opcode == Opcode.BrTable ? new LabelEnumerator(code, VectorPosition, (int)_c) : new LabelEnumerator(code, 0, 0);

    /// <summary>The try_table catch clauses read from the decoded span <paramref name="code"/>.</summary>
    public CatchEnumerator GetCatches(ReadOnlySpan<byte> code) =>
        Opcode == Opcode.TryTable ? new CatchEnumerator(code, VectorPosition, (int)_c) : new CatchEnumerator(code, 0, 0);

    /// <summary>Typed select's type vector, read from the decoded span <paramref name="code"/>.</summary>
    public ReadOnlySpan<byte> GetSelectTypeBytes(ReadOnlySpan<byte> code) =>
        Opcode == Opcode.SelectTyped ? code.Slice(VectorPosition, (int)_c) : default;

    // ---- construction (for emitting code) ----

    public static Instruction Create(Opcode opcode) => new(opcode, 0, 0, 0, 0, 0);

    /// <summary>An instruction with one index immediate (label, function, local, global, table, tag, data, element, memory).</summary>
    public static Instruction WithIndex(Opcode opcode, uint index) => new(opcode, 0, 0, index, 0, 0);

    /// <summary>call_indirect (type, table), table.init (element, table), table.copy (destination, source), memory.init (data, memory).</summary>
    public static Instruction WithIndices(Opcode opcode, uint first, uint second) => new(opcode, 0, 0, first, second, 0);

    public static Instruction WithBlockType(Opcode opcode, BlockType type) =>
        new(opcode, 0, 0, type.Kind switch { BlockTypeKind.TypeIndex => type.TypeIndex, BlockTypeKind.Value => (byte)type.ValueType, _ => 0UL }, (byte)type.Kind, 0);

    public static Instruction WithMemArg(Opcode opcode, MemArg memArg, byte lane = 0) =>
        new(opcode, 0, 0, memArg.Offset, memArg.MemoryIndex | ((ulong)lane << 32), memArg.AlignLog2 | (memArg.MemoryIndex != 0 ? HasMemoryIndexFlag : 0));

    public static Instruction WithLane(Opcode opcode, byte lane) => new(opcode, 0, 0, lane, 0, 0);

    public static Instruction I32Const(int value) => new(Opcode.I32Const, 0, 0, (uint)value, 0, 0);

    public static Instruction I64Const(long value) => new(Opcode.I64Const, 0, 0, (ulong)value, 0, 0);

    public static Instruction F32Const(uint bits) => new(Opcode.F32Const, 0, 0, bits, 0, 0);

    public static Instruction F64Const(ulong bits) => new(Opcode.F64Const, 0, 0, bits, 0, 0);

    /// <summary>v128.const or i8x16.shuffle with 16 bytes given as a little-endian 128-bit value.</summary>
    public static Instruction WithV128(Opcode opcode, UInt128 value) => new(opcode, 0, 0, (ulong)value, (ulong)(value >> 64), 0);

    public static Instruction RefNull(ValueType type) => new(Opcode.RefNull, 0, 0, (byte)type, 0, 0);

    /// <summary>Same opcode and immediates (ignoring <see cref="Offset"/>, <see cref="Length"/> and lazily stored vector positions).</summary>
    public bool Equals(Instruction other) =>
        Opcode == other.Opcode && _c == other._c && _a == other._a
        && (Opcode is Opcode.BrTable or Opcode.SelectTyped || _b == other._b)
        && (Opcode != Opcode.TryTable || (uint)_b == (uint)other._b);

    public override bool Equals(object? obj) => obj is Instruction other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Opcode, _a, _c);

    public static bool operator ==(Instruction left, Instruction right) => left.Equals(right);

    public static bool operator !=(Instruction left, Instruction right) => !left.Equals(right);

    public override string ToString() => Opcode.Mnemonic();
}

/// <summary>Enumerates the label indices of a br_table from the code span (already validated by the reader).</summary>
public ref struct LabelEnumerator
{
    private readonly ReadOnlySpan<byte> _code;
    private int _position;
    private int _remaining;

    internal LabelEnumerator(ReadOnlySpan<byte> code, int position, int count)
    {
        _code = code;
        _position = position;
        _remaining = count;
        Current = 0;
    }

    public uint Current { get; private set; }

    public readonly int Count => _remaining;

    public readonly LabelEnumerator GetEnumerator() => this;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool MoveNext()
    {
        if (_remaining == 0)
            return false;
        _remaining--;
        Current = Leb.ReadUInt32(_code, ref _position);
        return true;
    }
}

/// <summary>Enumerates try_table catch clauses from the code span.</summary>
public ref struct CatchEnumerator
{
    private readonly ReadOnlySpan<byte> _code;
    private int _position;
    private int _remaining;

    internal CatchEnumerator(ReadOnlySpan<byte> code, int position, int count)
    {
        _code = code;
        _position = position;
        _remaining = count;
        Current = default;
    }

    public CatchClause Current { get; private set; }

    public readonly CatchEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        if (_remaining == 0)
            return false;
        _remaining--;
        var kind = (CatchKind)_code[_position++];
        uint tag = 0;
        if (kind is CatchKind.Catch or CatchKind.CatchRef)
            tag = Leb.ReadUInt32(_code, ref _position);
        var label = Leb.ReadUInt32(_code, ref _position);
        Current = new CatchClause(kind, tag, label);
        return true;
    }
}

/// <summary>Unchecked LEB decoding of bytes the <see cref="InstructionReader"/> has already validated.</summary>
internal static class Leb
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint ReadUInt32(ReadOnlySpan<byte> code, ref int position)
    {
        uint result = 0;
        var shift = 0;
        while (true)
        {
            var b = code[position++];
            result |= (uint)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
                return result;
            shift += 7;
        }
    }
}
