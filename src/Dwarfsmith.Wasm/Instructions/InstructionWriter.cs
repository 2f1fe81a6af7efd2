namespace Dwarfsmith.Wasm.Instructions;

/// <summary>
/// Encodes instructions with minimal LEB128 widths. Vector immediates that the decoder leaves in the
/// code (br_table targets, try_table catches, typed-select types) are copied from the source span the
/// instruction was decoded from.
/// </summary>
public static class InstructionWriter
{
    public static void WriteOpcode(WasmWriter writer, Opcode opcode)
    {
        var value = (uint)opcode;
        var prefix = value >> 16;
        if (prefix == 0)
        {
            writer.WriteByte((byte)value);
            return;
        }
        writer.WriteByte((byte)prefix);
        writer.WriteVarUInt32(value & 0xFFFF);
    }

    /// <summary>
    /// Writes <paramref name="instruction"/>. <paramref name="source"/> is the span it was decoded from
    /// (needed only for br_table, try_table and typed select). <paramref name="mainWidth"/> &gt; 0 pads the
    /// main immediate's LEB to that many bytes: the index of index instructions (call, global.get,
    /// call_indirect's type…), the value of i32/i64.const, and a memarg's offset (the places wasm-ld pads).
    /// </summary>
    public static void Write(WasmWriter writer, in Instruction instruction, ReadOnlySpan<byte> source = default, int mainWidth = 0)
    {
        var info = OpcodeTable.Get(instruction.Opcode);
        WriteOpcode(writer, instruction.Opcode);
        var a = instruction.RawA;
        var b = instruction.RawB;
        var c = instruction.RawC;
        switch (info.Immediate)
        {
            case ImmediateKind.None:
                break;
            case ImmediateKind.LabelIndex:
            case ImmediateKind.FunctionIndex:
            case ImmediateKind.LocalIndex:
            case ImmediateKind.GlobalIndex:
            case ImmediateKind.TableIndex:
            case ImmediateKind.TagIndex:
            case ImmediateKind.DataIndex:
            case ImmediateKind.ElementIndex:
                writer.WriteVarUInt32((uint)a, mainWidth);
                break;
            case ImmediateKind.I32:
                writer.WriteVarInt32((int)(uint)a, mainWidth);
                break;
            case ImmediateKind.I64:
                writer.WriteVarInt64((long)a, mainWidth);
                break;
            case ImmediateKind.F32:
                writer.WriteFixedUInt32((uint)a);
                break;
            case ImmediateKind.F64:
                writer.WriteFixedUInt64(a);
                break;
            case ImmediateKind.BlockType:
                WriteBlockType(writer, instruction.BlockType);
                break;
            case ImmediateKind.CallIndirect:
            case ImmediateKind.TableInit:
            case ImmediateKind.TableCopy:
                writer.WriteVarUInt32((uint)a, mainWidth);
                writer.WriteVarUInt32((uint)b);
                break;
            case ImmediateKind.BrTable:
                {
                    writer.WriteVarUInt32(c);
                    foreach (var label in instruction.GetBrTableTargets(source))
                        writer.WriteVarUInt32(label);
                    writer.WriteVarUInt32((uint)a);
                    break;
                }
            case ImmediateKind.MemoryIndex:
            case ImmediateKind.MemoryFill:
            case ImmediateKind.AtomicFence:
                writer.WriteByte(0);
                break;
            case ImmediateKind.MemoryInit:
                writer.WriteVarUInt32((uint)a, mainWidth);
                writer.WriteByte(0);
                break;
            case ImmediateKind.MemoryCopy:
                writer.WriteByte(0);
                writer.WriteByte(0);
                break;
            case ImmediateKind.MemArg:
            case ImmediateKind.MemArgLane:
                WriteMemArg(writer, instruction.MemArg, instruction.HasExplicitMemoryIndex, mainWidth);
                if (info.Immediate == ImmediateKind.MemArgLane)
                    writer.WriteByte((byte)(b >> 32));
                break;
            case ImmediateKind.Lane:
            case ImmediateKind.RefType:
                writer.WriteByte((byte)a);
                break;
            case ImmediateKind.V128:
            case ImmediateKind.Shuffle:
                writer.WriteFixedUInt64(a);
                writer.WriteFixedUInt64(b);
                break;
            case ImmediateKind.SelectTypes:
                writer.WriteVarUInt32(c);
                if (source.IsEmpty && c == 1)
                    writer.WriteByte((byte)a);
                else
                    writer.WriteBytes(instruction.GetSelectTypeBytes(source));
                break;
            case ImmediateKind.TryTable:
                WriteBlockType(writer, instruction.BlockType);
                writer.WriteVarUInt32(c);
                foreach (var clause in instruction.GetCatches(source))
                    WriteCatch(writer, clause);
                break;
            default:
                throw new InvalidOperationException($"unhandled immediate kind {info.Immediate}");
        }
    }

    public static void WriteBlockType(WasmWriter writer, BlockType type)
    {
        switch (type.Kind)
        {
            case BlockTypeKind.Empty:
                writer.WriteByte(0x40);
                break;
            case BlockTypeKind.Value:
                writer.WriteByte((byte)type.ValueType);
                break;
            default:
                writer.WriteVarInt64(type.TypeIndex);
                break;
        }
    }

    public static void WriteMemArg(WasmWriter writer, MemArg memArg, bool explicitMemoryIndex = false, int offsetWidth = 0)
    {
        if (explicitMemoryIndex || memArg.MemoryIndex != 0)
        {
            writer.WriteVarUInt32(memArg.AlignLog2 | 0x40);
            writer.WriteVarUInt32(memArg.MemoryIndex);
        }
        else
        {
            writer.WriteVarUInt32(memArg.AlignLog2);
        }
        writer.WriteVarUInt64(memArg.Offset, offsetWidth);
    }

    /// <summary>Writes a complete br_table instruction.</summary>
    public static void WriteBrTable(WasmWriter writer, ReadOnlySpan<uint> targets, uint defaultLabel)
    {
        writer.WriteByte((byte)Opcode.BrTable);
        writer.WriteVarUInt32((uint)targets.Length);
        foreach (var label in targets)
            writer.WriteVarUInt32(label);
        writer.WriteVarUInt32(defaultLabel);
    }

    /// <summary>Writes a complete typed select.</summary>
    public static void WriteSelectTyped(WasmWriter writer, ReadOnlySpan<ValueType> types)
    {
        writer.WriteByte((byte)Opcode.SelectTyped);
        writer.WriteVarUInt32((uint)types.Length);
        foreach (var type in types)
            writer.WriteByte((byte)type);
    }

    /// <summary>Writes a complete try_table instruction header.</summary>
    public static void WriteTryTable(WasmWriter writer, BlockType type, ReadOnlySpan<CatchClause> catches)
    {
        writer.WriteByte((byte)Opcode.TryTable);
        WriteBlockType(writer, type);
        writer.WriteVarUInt32((uint)catches.Length);
        foreach (var clause in catches)
            WriteCatch(writer, clause);
    }

    private static void WriteCatch(WasmWriter writer, CatchClause clause)
    {
        writer.WriteByte((byte)clause.Kind);
        if (clause.Kind is CatchKind.Catch or CatchKind.CatchRef)
            writer.WriteVarUInt32(clause.TagIndex);
        writer.WriteVarUInt32(clause.LabelIndex);
    }
}
