using System.Runtime.CompilerServices;

namespace Dwarfsmith.Wasm.Instructions;

/// <summary>
/// Decodes the instructions of one function body (after its locals) or one constant expression.
/// Malformed bytes throw <see cref="WasmFormatException"/> with the section and absolute offset;
/// decoding allocates nothing.
/// </summary>
public ref struct InstructionReader
{
    private WasmReader _reader;

    /// <param name="code">The instruction bytes.</param>
    /// <param name="fileOffset">Absolute file offset of <paramref name="code"/>[0].</param>
    /// <param name="section">Section named in errors.</param>
    public InstructionReader(ReadOnlySpan<byte> code, long fileOffset, string section = "code section")
    {
        _reader = new WasmReader(code, fileOffset, section);
    }

    /// <summary>Position of the next instruction relative to the start of the span.</summary>
    public readonly int Position => _reader.Position;

    public readonly bool AtEnd => _reader.AtEnd;

    public readonly ReadOnlySpan<byte> Code => _reader.Data;

    public readonly long BaseOffset => _reader.BaseOffset;

    public readonly string Section => _reader.Section;

    /// <summary>An exception at a position of the span (for consumers such as the validator).</summary>
    public readonly WasmFormatException ErrorAt(int position, string reason) => _reader.ErrorAt(position, reason);

    /// <summary>Reads the next instruction; false at the end of the span.</summary>
    public bool TryRead(out Instruction instruction)
    {
        if (_reader.AtEnd)
        {
            instruction = default;
            return false;
        }
        var start = _reader.Position;
        var code = _reader.ReadByte();
        var info = OpcodeTable.LookupPlain(code);
        if (info is null)
            info = ReadPrefixed(code, start);

        ulong a = 0, b = 0;
        uint c = 0;
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
                a = _reader.ReadVarUInt32();
                break;
            case ImmediateKind.I32:
                a = (uint)_reader.ReadVarInt32();
                break;
            case ImmediateKind.MemArg:
                ReadMemArg(out a, out b, out c);
                break;
            case ImmediateKind.BlockType:
                ReadBlockType(out a, out b);
                break;
            case ImmediateKind.I64:
                a = (ulong)_reader.ReadVarInt64();
                break;
            case ImmediateKind.F32:
                a = _reader.ReadFixedUInt32();
                break;
            case ImmediateKind.F64:
                a = _reader.ReadFixedUInt64();
                break;
            case ImmediateKind.CallIndirect:
            case ImmediateKind.TableInit:
            case ImmediateKind.TableCopy:
                a = _reader.ReadVarUInt32();
                b = _reader.ReadVarUInt32();
                break;
            case ImmediateKind.BrTable:
                c = (uint)_reader.ReadCount();
                b = (uint)_reader.Position;
                for (var i = 0u; i < c; i++)
                    _reader.ReadVarUInt32();
                a = _reader.ReadVarUInt32();
                break;
            case ImmediateKind.MemoryIndex:
            case ImmediateKind.MemoryFill:
            case ImmediateKind.AtomicFence:
                ReadZeroByte();
                break;
            case ImmediateKind.MemoryInit:
                a = _reader.ReadVarUInt32();
                ReadZeroByte();
                break;
            case ImmediateKind.MemoryCopy:
                ReadZeroByte();
                ReadZeroByte();
                break;
            case ImmediateKind.MemArgLane:
                ReadMemArg(out a, out b, out c);
                b |= (ulong)_reader.ReadByte() << 32;
                break;
            case ImmediateKind.Lane:
                a = _reader.ReadByte();
                break;
            case ImmediateKind.V128:
            case ImmediateKind.Shuffle:
                a = _reader.ReadFixedUInt64();
                b = _reader.ReadFixedUInt64();
                break;
            case ImmediateKind.RefType:
                a = (byte)ValueTypes.ReadReferenceType(ref _reader);
                break;
            case ImmediateKind.SelectTypes:
                c = (uint)_reader.ReadCount();
                b = (uint)_reader.Position;
                for (var i = 0u; i < c; i++)
                {
                    var type = ValueTypes.ReadValueType(ref _reader);
                    if (i == 0)
                        a = (byte)type;
                }
                break;
            case ImmediateKind.TryTable:
                ReadBlockType(out a, out b);
                c = (uint)_reader.ReadCount(2);
                b |= (ulong)(uint)_reader.Position << 32;
                for (var i = 0u; i < c; i++)
                {
                    var kindPosition = _reader.Position;
                    var kind = _reader.ReadByte();
                    if (kind > (byte)CatchKind.CatchAllRef)
                        throw _reader.ErrorAt(kindPosition, $"malformed catch clause 0x{kind:X2}");
                    if (kind <= (byte)CatchKind.CatchRef)
                        _reader.ReadVarUInt32();
                    _reader.ReadVarUInt32();
                }
                break;
            default:
                throw new InvalidOperationException($"unhandled immediate kind {info.Immediate}");
        }
        instruction = new Instruction(info.Opcode, start, _reader.Position - start, a, b, c);
        return true;
    }

    /// <summary>Reads until the end of the span and returns the number of instructions (a fast structural check).</summary>
    public int CountRemaining()
    {
        var count = 0;
        while (TryRead(out _))
            count++;
        return count;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private OpcodeInfo ReadPrefixed(byte prefix, int start)
    {
        if (prefix is OpcodeTable.MiscPrefix or OpcodeTable.SimdPrefix or OpcodeTable.AtomicPrefix)
        {
            var sub = _reader.ReadVarUInt32();
            return OpcodeTable.LookupPrefixed(prefix, sub)
                ?? throw _reader.ErrorAt(start, $"illegal opcode 0x{prefix:x2} 0x{sub:x}");
        }
        throw _reader.ErrorAt(start, $"illegal opcode 0x{prefix:x2}");
    }

    private void ReadZeroByte()
    {
        var position = _reader.Position;
        if (_reader.ReadByte() != 0)
            throw _reader.ErrorAt(position, "zero byte expected");
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void ReadMemArg(out ulong offset, out ulong memoryIndex, out uint flags)
    {
        flags = _reader.ReadVarUInt32();
        memoryIndex = 0;
        if ((flags & 0x40) != 0)
        {
            memoryIndex = _reader.ReadVarUInt32();
            flags = (flags & ~0x40u) | Instruction.HasMemoryIndexFlag;
        }
        offset = _reader.ReadVarUInt32();
    }

    private void ReadBlockType(out ulong value, out ulong kind)
    {
        var position = _reader.Position;
        var first = _reader.PeekByte();
        if (first == 0x40)
        {
            _reader.ReadByte();
            value = 0;
            kind = (byte)BlockTypeKind.Empty;
            return;
        }
        if (ValueTypes.IsKnown(first))
        {
            _reader.ReadByte();
            value = first;
            kind = (byte)BlockTypeKind.Value;
            return;
        }
        var index = _reader.ReadVarInt33();
        if (index < 0)
            throw _reader.ErrorAt(position, $"malformed block type 0x{first:X2}");
        value = (ulong)index;
        kind = (byte)BlockTypeKind.TypeIndex;
    }
}
