using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Dwarfsmith.Wasm.Instructions;

/// <summary>The shape of an instruction's immediates in the binary format.</summary>
public enum ImmediateKind : byte
{
    None,
    /// <summary>Block type: 0x40, a value type, or a non-negative s33 type index.</summary>
    BlockType,
    LabelIndex,
    /// <summary>vec(labelidx) labelidx; the vector is read lazily from the code.</summary>
    BrTable,
    FunctionIndex,
    /// <summary>typeidx tableidx.</summary>
    CallIndirect,
    LocalIndex,
    GlobalIndex,
    TableIndex,
    /// <summary>memory.size / memory.grow: a reserved byte that must be 0x00 in WebAssembly 2.0.</summary>
    MemoryIndex,
    TagIndex,
    /// <summary>align flags (bit 6 = explicit memory index follows), [memidx], offset.</summary>
    MemArg,
    /// <summary>memarg followed by a lane byte.</summary>
    MemArgLane,
    Lane,
    I32,
    I64,
    F32,
    F64,
    V128,
    Shuffle,
    /// <summary>ref.null's heap type byte.</summary>
    RefType,
    /// <summary>vec(valtype) of the typed select; read lazily.</summary>
    SelectTypes,
    /// <summary>block type and vec(catch) of try_table; the catches are read lazily.</summary>
    TryTable,
    /// <summary>dataidx followed by a zero byte.</summary>
    MemoryInit,
    DataIndex,
    /// <summary>two zero bytes.</summary>
    MemoryCopy,
    /// <summary>one zero byte.</summary>
    MemoryFill,
    /// <summary>elemidx tableidx.</summary>
    TableInit,
    ElementIndex,
    /// <summary>destination tableidx, source tableidx.</summary>
    TableCopy,
    /// <summary>atomic.fence: one zero byte.</summary>
    AtomicFence,
}

/// <summary>The proposal (or WebAssembly 2.0 feature) an instruction comes from.</summary>
public enum Feature : byte
{
    Mvp,
    SignExtension,
    SaturatingFloatToInt,
    BulkMemory,
    ReferenceTypes,
    Simd,
    RelaxedSimd,
    TailCall,
    Exceptions,
    LegacyExceptions,
    Threads,
}

/// <summary>Metadata of one opcode: one row of <see cref="OpcodeTable"/>.</summary>
public sealed class OpcodeInfo
{
    internal OpcodeInfo(Opcode opcode, string mnemonic, ImmediateKind immediate, Feature feature, string? pops, string? pushes, int naturalAlignmentLog2, int laneCount)
    {
        Opcode = opcode;
        Mnemonic = mnemonic;
        Immediate = immediate;
        Feature = feature;
        Pops = pops is null ? null : OpcodeTable.ParseTypes(pops);
        Pushes = pushes is null ? null : OpcodeTable.ParseTypes(pushes);
        NaturalAlignmentLog2 = naturalAlignmentLog2;
        LaneCount = laneCount;
    }

    public Opcode Opcode { get; }

    /// <summary>The text-format name, e.g. <c>i32.add</c> or <c>v128.load8_lane</c>.</summary>
    public string Mnemonic { get; }

    public ImmediateKind Immediate { get; }

    public Feature Feature { get; }

    /// <summary>
    /// Operand types popped (bottom first) by a plain stack instruction, or null when the validator
    /// handles the instruction specially (control, variables, references, tables, select…).
    /// </summary>
    public ValueType[]? Pops { get; }

    /// <summary>Result types pushed by a plain stack instruction; null when <see cref="Pops"/> is.</summary>
    public ValueType[]? Pushes { get; }

    /// <summary>log2 of the natural alignment of a memory access, or -1 for other instructions.</summary>
    public int NaturalAlignmentLog2 { get; }

    /// <summary>Number of lanes a lane-index immediate may address (16, 8, 4, 2), or 0.</summary>
    public int LaneCount { get; }

    /// <summary>Prefix byte (0xFC, 0xFD, 0xFE) or 0 for single-byte opcodes.</summary>
    public byte Prefix => (byte)((int)Opcode >> 16);

    /// <summary>The opcode byte, or the sub-opcode after the prefix.</summary>
    public uint Code => (uint)Opcode & 0xFFFF;

    public bool IsMemoryAccess => NaturalAlignmentLog2 >= 0;

    public bool IsAtomic => Prefix == OpcodeTable.AtomicPrefix;

    public override string ToString() => Mnemonic;
}

/// <summary>The single source of truth about opcodes: mnemonics, immediates, signatures, alignments.</summary>
public static partial class OpcodeTable
{
    public const byte MiscPrefix = 0xFC;
    public const byte SimdPrefix = 0xFD;
    public const byte AtomicPrefix = 0xFE;

    private static readonly OpcodeInfo[] s_all = CreateAll();
    private static readonly OpcodeInfo?[] s_plain = new OpcodeInfo?[256];
    private static readonly OpcodeInfo?[] s_misc = Build(MiscPrefix, s_plain);
    private static readonly OpcodeInfo?[] s_simd = Build(SimdPrefix, null);
    private static readonly OpcodeInfo?[] s_atomic = Build(AtomicPrefix, null);

    /// <summary>All known opcodes in table order.</summary>
    public static IReadOnlyList<OpcodeInfo> All => s_all;

    private static OpcodeInfo?[] Build(byte prefix, OpcodeInfo?[]? plain)
    {
        if (plain is not null)
        {
            foreach (var info in s_all)
            {
                if (info.Prefix == 0)
                    plain[info.Code] = info;
            }
        }
        var max = -1;
        foreach (var info in s_all)
        {
            if (info.Prefix == prefix)
                max = Math.Max(max, (int)info.Code);
        }
        var table = new OpcodeInfo?[max + 1];
        foreach (var info in s_all)
        {
            if (info.Prefix == prefix)
                table[info.Code] = info;
        }
        return table;
    }

    /// <summary>Metadata of a single-byte opcode, or null when the byte is a prefix or illegal.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static OpcodeInfo? LookupPlain(byte code) => s_plain[code];

    /// <summary>Metadata of a prefixed opcode, or null when illegal.</summary>
    public static OpcodeInfo? LookupPrefixed(byte prefix, uint code)
    {
        var table = prefix switch
        {
            MiscPrefix => s_misc,
            SimdPrefix => s_simd,
            AtomicPrefix => s_atomic,
            _ => null,
        };
        return table is not null && code < (uint)table.Length ? table[code] : null;
    }

    public static bool TryGet(Opcode opcode, [NotNullWhen(true)] out OpcodeInfo? info)
    {
        var value = (uint)opcode;
        var prefix = value >> 16;
        info = prefix == 0 ? (value < 256 ? s_plain[value] : null) : prefix <= 0xFF ? LookupPrefixed((byte)prefix, value & 0xFFFF) : null;
        return info is not null;
    }

    /// <summary>Metadata of a known opcode; throws <see cref="ArgumentOutOfRangeException"/> otherwise.</summary>
    public static OpcodeInfo Get(Opcode opcode) =>
        TryGet(opcode, out var info) ? info : throw new ArgumentOutOfRangeException(nameof(opcode), $"unknown opcode 0x{(uint)opcode:X}");

    /// <summary>The text-format mnemonic, or a hex rendering of an unknown value.</summary>
    public static string Mnemonic(this Opcode opcode) => TryGet(opcode, out var info) ? info.Mnemonic : $"<0x{(uint)opcode:X}>";

    internal static ValueType[] ParseTypes(string letters)
    {
        if (letters.Length == 0)
            return [];
        var types = new ValueType[letters.Length];
        for (var i = 0; i < letters.Length; i++)
        {
            types[i] = letters[i] switch
            {
                'i' => ValueType.I32,
                'l' => ValueType.I64,
                'f' => ValueType.F32,
                'd' => ValueType.F64,
                'v' => ValueType.V128,
                'r' => ValueType.FuncRef,
                'x' => ValueType.ExternRef,
                'e' => ValueType.ExnRef,
                _ => throw new InvalidOperationException($"bad type letter '{letters[i]}'"),
            };
        }
        return types;
    }
}
