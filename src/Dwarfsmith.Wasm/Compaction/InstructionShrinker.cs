using Dwarfsmith.Wasm.Instructions;

namespace Dwarfsmith.Wasm.Compaction;

/// <summary>
/// Re-encodes one function body's instructions with minimal LEBs, byte for byte as decoding each
/// with <see cref="InstructionReader"/> and encoding it with <see cref="InstructionWriter"/> would,
/// at a fraction of the cost: a compacted module has half a million instructions (SQLite), and
/// building an <see cref="Instruction"/> for each and dispatching on its opcode's metadata took
/// four fifths of the compaction. Here a table from the first byte tells the shape of the
/// immediates of the core opcodes, which are copied with their LEBs re-encoded. Everything else
/// (prefixed opcodes, br_table, typed select, try_table, a memarg with a memory index, a block type
/// index, an illegal opcode, any LEB that is not plainly valid) goes through the reader and writer,
/// so that it is encoded, or refused with the reader's error, exactly as before.
/// </summary>
internal static class InstructionShrinker
{
    private enum Shape : byte
    {
        /// <summary>Decoded and encoded by the reader and writer.</summary>
        General,
        /// <summary>The opcode alone.</summary>
        Bare,
        /// <summary>One unsigned 32-bit LEB (an index).</summary>
        Index,
        /// <summary>Two unsigned 32-bit LEBs (call_indirect's type and table).</summary>
        TwoIndices,
        /// <summary>A signed 32-bit LEB.</summary>
        Int32,
        /// <summary>A signed 64-bit LEB.</summary>
        Int64,
        Fixed4,
        Fixed8,
        /// <summary>Alignment flags without a memory index, then the offset.</summary>
        MemArg,
        /// <summary>Empty (0x40) or a value type: one byte.</summary>
        BlockType,
        /// <summary>memory.size and memory.grow's reserved zero byte.</summary>
        ZeroByte,
    }

    private static readonly Shape[] s_shapes = BuildShapes();

    /// <summary>
    /// Appends <paramref name="code"/> (a body's instructions, which start at
    /// <paramref name="fileOffset"/> in the file) to <paramref name="output"/>, and notes where each
    /// instruction started in <paramref name="code"/> and in <paramref name="output"/>; returns the
    /// number of instructions. The position arrays must hold <c>code.Length</c> entries (an
    /// instruction takes a byte at least). <paramref name="generalOnly"/> sends every instruction
    /// through the reader and writer (the reference the tests compare with).
    /// </summary>
    public static int Shrink(ReadOnlySpan<byte> code, long fileOffset, WasmWriter output, Span<int> oldStarts, Span<int> newStarts, bool generalOnly = false)
    {
        int count = 0, position = 0;
        // Encoded in place: no instruction gets longer, so the free space of the input's length
        // that is left holds the rest of the output.
        int outputStart = output.Length, written = 0;
        var free = output.GetSpan(code.Length);
        while (position < code.Length)
        {
            oldStarts[count] = position;
            newStarts[count] = outputStart + written;
            count++;
            int next = generalOnly ? -1 : TryCopy(code, position, free, ref written);
            if (next < 0)
            {
                output.Advance(written);
                next = WriteGeneral(code, position, fileOffset, output);
                outputStart = output.Length;
                written = 0;
                free = output.GetSpan(code.Length - next);
            }

            position = next;
        }

        output.Advance(written);
        return count;
    }

    /// <summary>One instruction through the reader and writer; returns the position after it.</summary>
    private static int WriteGeneral(ReadOnlySpan<byte> code, int position, long fileOffset, WasmWriter output)
    {
        var source = code[position..];
        var reader = new InstructionReader(source, fileOffset + position);
        reader.TryRead(out var instruction);
        InstructionWriter.Write(output, instruction, source);
        return position + instruction.Length;
    }

    /// <summary>
    /// Copies the instruction at <paramref name="position"/> into <paramref name="free"/> at
    /// <paramref name="written"/>, which it advances; returns the position after the instruction,
    /// or −1 (nothing advanced) when the instruction needs the general path.
    /// </summary>
    private static int TryCopy(ReadOnlySpan<byte> code, int position, Span<byte> free, ref int written)
    {
        byte opcode = code[position];
        int at = position + 1, to = written;
        free[to++] = opcode;
        switch (s_shapes[opcode])
        {
            case Shape.Bare:
                break;
            case Shape.Index:
                if (!TryReadUInt32(code, ref at, out uint index))
                    return -1;
                to = WriteUnsigned(free, to, index);
                break;
            case Shape.TwoIndices:
                if (!TryReadUInt32(code, ref at, out uint first) || !TryReadUInt32(code, ref at, out uint second))
                    return -1;
                to = WriteUnsigned(free, WriteUnsigned(free, to, first), second);
                break;
            case Shape.Int32:
                if (!TryReadSigned(code, ref at, 32, out long value32))
                    return -1;
                to = WriteSigned(free, to, value32);
                break;
            case Shape.Int64:
                if (!TryReadSigned(code, ref at, 64, out long value64))
                    return -1;
                to = WriteSigned(free, to, value64);
                break;
            case Shape.Fixed4:
            case Shape.Fixed8:
                int size = s_shapes[opcode] == Shape.Fixed4 ? 4 : 8;
                if (code.Length - at < size)
                    return -1;
                code.Slice(at, size).CopyTo(free[to..]);
                at += size;
                to += size;
                break;
            case Shape.MemArg:
                // Flags with bit 6 name a memory; any flag at or above it is left to the reader.
                if (!TryReadUInt32(code, ref at, out uint flags) || flags >= 0x40 || !TryReadUInt32(code, ref at, out uint offset))
                    return -1;
                to = WriteUnsigned(free, WriteUnsigned(free, to, flags), offset);
                break;
            case Shape.BlockType:
                if (at >= code.Length || !(code[at] == 0x40 || ValueTypes.IsKnown(code[at])))
                    return -1;
                free[to++] = code[at++];
                break;
            case Shape.ZeroByte:
                if (at >= code.Length || code[at] != 0)
                    return -1;
                free[to++] = code[at++];
                break;
            default:
                return -1;
        }

        written = to;
        return at;
    }

    // The LEBs go through Leb128, as in WasmReader and WasmWriter: a LEB the reader would refuse
    // (or that runs past the end) sends the instruction to the general path, which reports it.
    private static bool TryReadUInt32(ReadOnlySpan<byte> code, ref int at, out uint value)
    {
        bool read = Leb128.ReadUnsigned(code, ref at, 32, out ulong wide) == Leb128.Status.Ok;
        value = (uint)wide;
        return read;
    }

    private static bool TryReadSigned(ReadOnlySpan<byte> code, ref int at, int bits, out long value) =>
        Leb128.ReadSigned(code, ref at, bits, out value) == Leb128.Status.Ok;

    private static int WriteUnsigned(Span<byte> output, int to, uint value) => to + Leb128.WriteUnsigned(output[to..], value);

    private static int WriteSigned(Span<byte> output, int to, long value) => to + Leb128.WriteSigned(output[to..], value);

    private static Shape[] BuildShapes()
    {
        var shapes = new Shape[256];
        for (int code = 0; code < shapes.Length; code++)
        {
            shapes[code] = OpcodeTable.LookupPlain((byte)code)?.Immediate switch
            {
                ImmediateKind.None => Shape.Bare,
                ImmediateKind.LabelIndex or ImmediateKind.FunctionIndex or ImmediateKind.LocalIndex or ImmediateKind.GlobalIndex
                    or ImmediateKind.TableIndex or ImmediateKind.TagIndex or ImmediateKind.DataIndex or ImmediateKind.ElementIndex => Shape.Index,
                ImmediateKind.CallIndirect => Shape.TwoIndices,
                ImmediateKind.I32 => Shape.Int32,
                ImmediateKind.I64 => Shape.Int64,
                ImmediateKind.F32 => Shape.Fixed4,
                ImmediateKind.F64 => Shape.Fixed8,
                ImmediateKind.MemArg => Shape.MemArg,
                ImmediateKind.BlockType => Shape.BlockType,
                ImmediateKind.MemoryIndex => Shape.ZeroByte,
                _ => Shape.General, // also an illegal opcode: the reader names it
            };
        }

        return shapes;
    }
}
