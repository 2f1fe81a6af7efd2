using Dwarfsmith.Wasm.Instructions;

namespace Dwarfsmith.Wasm.Validation;

public sealed partial class FunctionValidator
{
    private void Step(in Instruction instruction, ReadOnlySpan<byte> code)
    {
        switch (instruction.Opcode)
        {
            case Opcode.Unreachable:
                MarkUnreachable();
                return;
            case Opcode.Nop:
                return;
            case Opcode.Block:
            case Opcode.Loop:
                {
                    ResolveBlockType(instruction.BlockType, out var start, out var end);
                    Pop(start);
                    PushFrame(instruction.Opcode, start, end);
                    return;
                }
            case Opcode.If:
                {
                    ResolveBlockType(instruction.BlockType, out var start, out var end);
                    Pop(ValueType.I32);
                    Pop(start);
                    PushFrame(Opcode.If, start, end);
                    return;
                }
            case Opcode.Else:
                {
                    if (_frames[_depth - 1].Kind != Opcode.If)
                        throw Error("else without matching if");
                    var frame = PopFrame();
                    PushFrame(Opcode.Else, frame.Start, frame.End);
                    return;
                }
            case Opcode.End:
                {
                    var frame = PopFrame();
                    if (frame.Kind == Opcode.If && !frame.Start.AsSpan().SequenceEqual(frame.End))
                        throw Error("type mismatch: if without else must leave its parameters unchanged");
                    Push(frame.End);
                    return;
                }
            case Opcode.Br:
                Pop(LabelTypes(in Label(instruction.LabelIndex)));
                MarkUnreachable();
                return;
            case Opcode.BrIf:
                {
                    var types = LabelTypes(in Label(instruction.LabelIndex));
                    Pop(ValueType.I32);
                    Pop(types);
                    Push(types);
                    return;
                }
            case Opcode.BrTable:
                {
                    Pop(ValueType.I32);
                    var defaultTypes = LabelTypes(in Label(instruction.BrTableDefault));
                    var arity = defaultTypes.Length;
                    foreach (var label in instruction.GetBrTableTargets(code))
                    {
                        var types = LabelTypes(in Label(label));
                        if (types.Length != arity)
                            throw Error("type mismatch: br_table targets have different arities");
                        Peek(types);
                    }
                    Pop(defaultTypes);
                    MarkUnreachable();
                    return;
                }
            case Opcode.Return:
                Pop(_functionType.Results);
                MarkUnreachable();
                return;
            case Opcode.Call:
                {
                    var type = FunctionType(instruction.FunctionIndex);
                    Pop(type.Parameters);
                    Push(type.Results);
                    return;
                }
            case Opcode.CallIndirect:
                {
                    var type = CallIndirectType(instruction);
                    Pop(IndexType(Table(instruction.TableIndex)));
                    Pop(type.Parameters);
                    Push(type.Results);
                    return;
                }
            case Opcode.ReturnCall:
                {
                    RequireFeature(WasmFeatures.TailCall, instruction);
                    var type = FunctionType(instruction.FunctionIndex);
                    RequireSameResults(type);
                    Pop(type.Parameters);
                    MarkUnreachable();
                    return;
                }
            case Opcode.ReturnCallIndirect:
                {
                    RequireFeature(WasmFeatures.TailCall, instruction);
                    var type = CallIndirectType(instruction);
                    RequireSameResults(type);
                    Pop(IndexType(Table(instruction.TableIndex)));
                    Pop(type.Parameters);
                    MarkUnreachable();
                    return;
                }
            case Opcode.Drop:
                Pop();
                return;
            case Opcode.Select:
                {
                    Pop(ValueType.I32);
                    var t1 = Pop();
                    var t2 = Pop();
                    if (!((IsNumeric(t1) && IsNumeric(t2)) || (IsVector(t1) && IsVector(t2))))
                        throw Error("type mismatch: select without types needs numeric or vector operands");
                    if (t1 != t2 && t1 != Unknown && t2 != Unknown)
                        throw Mismatch(t1, t2);
                    Push(t1 == Unknown ? t2 : t1);
                    return;
                }
            case Opcode.SelectTyped:
                {
                    if (instruction.SelectTypeCount != 1)
                        throw Error("invalid result arity");
                    var type = instruction.SelectType;
                    Pop(ValueType.I32);
                    Pop(type);
                    Pop(type);
                    Push(type);
                    return;
                }
            case Opcode.LocalGet:
                Push(LocalType(instruction.LocalIndex));
                return;
            case Opcode.LocalSet:
                Pop(LocalType(instruction.LocalIndex));
                return;
            case Opcode.LocalTee:
                {
                    var type = LocalType(instruction.LocalIndex);
                    Pop(type);
                    Push(type);
                    return;
                }
            case Opcode.GlobalGet:
                Push(Global(instruction.GlobalIndex).ValueType);
                return;
            case Opcode.GlobalSet:
                {
                    var global = Global(instruction.GlobalIndex);
                    if (!global.Mutable)
                        throw Error("global is immutable");
                    Pop(global.ValueType);
                    return;
                }
            case Opcode.TableGet:
                {
                    var table = Table(instruction.TableIndex);
                    Pop(IndexType(table));
                    Push(table.ElementType);
                    return;
                }
            case Opcode.TableSet:
                {
                    var table = Table(instruction.TableIndex);
                    Pop(table.ElementType);
                    Pop(IndexType(table));
                    return;
                }
            case Opcode.TableSize:
                Push(IndexType(Table(instruction.TableIndex)));
                return;
            case Opcode.TableGrow:
                {
                    var table = Table(instruction.TableIndex);
                    Pop(IndexType(table));
                    Pop(table.ElementType);
                    Push(IndexType(table));
                    return;
                }
            case Opcode.TableFill:
                {
                    var table = Table(instruction.TableIndex);
                    Pop(IndexType(table));
                    Pop(table.ElementType);
                    Pop(IndexType(table));
                    return;
                }
            case Opcode.TableCopy:
                {
                    var destination = Table(instruction.DestinationTableIndex);
                    var source = Table(instruction.SourceTableIndex);
                    if (destination.ElementType != source.ElementType)
                        throw Mismatch(destination.ElementType, source.ElementType);
                    PopThreeI32();
                    return;
                }
            case Opcode.TableInit:
                {
                    var table = Table(instruction.TableIndex);
                    var element = ElementType(instruction.ElementIndex);
                    if (table.ElementType != element)
                        throw Mismatch(table.ElementType, element);
                    PopThreeI32();
                    return;
                }
            case Opcode.ElemDrop:
                ElementType(instruction.ElementIndex);
                return;
            case Opcode.MemoryInit:
                {
                    var is64 = Memory(instruction.MemoryIndex).Limits.Is64;
                    DataSegment(instruction.DataIndex);
                    Pop(ValueType.I32);
                    Pop(ValueType.I32);
                    Pop(is64 ? ValueType.I64 : ValueType.I32);
                    return;
                }
            case Opcode.DataDrop:
                DataSegment(instruction.DataIndex);
                return;
            case Opcode.RefNull:
                Push(instruction.RefType);
                return;
            case Opcode.RefIsNull:
                {
                    var type = Pop();
                    if (type != Unknown && !type.IsReference())
                        throw Error($"type mismatch: expected a reference, found {type.Name()}");
                    Push(ValueType.I32);
                    return;
                }
            case Opcode.RefFunc:
                FunctionType(instruction.FunctionIndex);
                if (!_context.DeclaredFunctionReferences.Contains(instruction.FunctionIndex))
                    throw Error($"undeclared function reference {instruction.FunctionIndex}");
                Push(ValueType.FuncRef);
                return;
            case Opcode.Try:
                {
                    RequireFeature(WasmFeatures.ExceptionHandling, instruction);
                    ResolveBlockType(instruction.BlockType, out var start, out var end);
                    Pop(start);
                    PushFrame(Opcode.Try, start, end);
                    return;
                }
            case Opcode.Catch:
                {
                    RequireFeature(WasmFeatures.ExceptionHandling, instruction);
                    var kind = _frames[_depth - 1].Kind;
                    if (kind is not (Opcode.Try or Opcode.Catch))
                        throw Error("catch without matching try");
                    var tag = TagType(instruction.TagIndex);
                    var frame = PopFrame();
                    PushFrame(Opcode.Catch, tag.Parameters, frame.End);
                    return;
                }
            case Opcode.CatchAll:
                {
                    RequireFeature(WasmFeatures.ExceptionHandling, instruction);
                    var kind = _frames[_depth - 1].Kind;
                    if (kind is not (Opcode.Try or Opcode.Catch))
                        throw Error("catch_all without matching try");
                    var frame = PopFrame();
                    PushFrame(Opcode.CatchAll, [], frame.End);
                    return;
                }
            case Opcode.Delegate:
                {
                    RequireFeature(WasmFeatures.ExceptionHandling, instruction);
                    if (_frames[_depth - 1].Kind != Opcode.Try)
                        throw Error("delegate without matching try");
                    var frame = PopFrame();
                    Label(instruction.LabelIndex);
                    Push(frame.End);
                    return;
                }
            case Opcode.Rethrow:
                RequireFeature(WasmFeatures.ExceptionHandling, instruction);
                if (Label(instruction.LabelIndex).Kind is not (Opcode.Catch or Opcode.CatchAll))
                    throw Error("invalid rethrow label");
                MarkUnreachable();
                return;
            case Opcode.Throw:
                RequireFeature(WasmFeatures.ExceptionHandling, instruction);
                Pop(TagType(instruction.TagIndex).Parameters);
                MarkUnreachable();
                return;
            case Opcode.ThrowRef:
                RequireFeature(WasmFeatures.ExceptionHandling, instruction);
                Pop(ValueType.ExnRef);
                MarkUnreachable();
                return;
            case Opcode.TryTable:
                {
                    RequireFeature(WasmFeatures.ExceptionHandling, instruction);
                    ResolveBlockType(instruction.BlockType, out var start, out var end);
                    Pop(start);
                    foreach (var clause in instruction.GetCatches(code))
                        CheckCatchClause(clause);
                    PushFrame(Opcode.TryTable, start, end);
                    return;
                }
            default:
                StepTableDriven(in instruction);
                return;
        }
    }

    private void StepTableDriven(in Instruction instruction)
    {
        var value = (uint)instruction.Opcode;
        var info = (value < 256 ? OpcodeTable.LookupPlain((byte)value) : OpcodeTable.LookupPrefixed((byte)(value >> 16), value & 0xFFFF))!;
        var pops = info.Pops ?? throw new InvalidOperationException($"no validation rule for {info.Mnemonic}");
        switch (info.Immediate)
        {
            case ImmediateKind.MemArg:
            case ImmediateKind.MemArgLane:
                {
                    var memArg = instruction.MemArg;
                    if (instruction.HasExplicitMemoryIndex && !_context.Has(WasmFeatures.MultiMemory))
                        throw Error("multiple memories are not enabled");
                    if (Memory(memArg.MemoryIndex).Limits.Is64)
                    {
                        CheckMemArg(info, memArg, in instruction);
                        StepMemory64(info);
                        return;
                    }
                    CheckMemArg(info, memArg, in instruction);
                    break;
                }
            case ImmediateKind.Lane:
                if (instruction.Lane >= info.LaneCount)
                    throw Error("invalid lane index");
                break;
            case ImmediateKind.Shuffle:
                {
                    var lanes = instruction.V128Value;
                    for (var i = 0; i < 16; i++)
                    {
                        if ((byte)(lanes >> (8 * i)) >= 32)
                            throw Error("invalid lane index");
                    }
                    break;
                }
            case ImmediateKind.MemoryIndex:
            case ImmediateKind.MemoryFill:
                if (Memory(instruction.MemoryIndex).Limits.Is64)
                {
                    StepMemory64(info);
                    return;
                }
                break;
            case ImmediateKind.MemoryCopy:
                if (Memory(instruction.DestinationTableIndex).Limits.Is64 | Memory(instruction.SourceTableIndex).Limits.Is64)
                {
                    StepMemory64(info);
                    return;
                }
                break;
            case ImmediateKind.AtomicFence:
                RequireFeature(WasmFeatures.Threads, instruction);
                break;
        }
        if (info.Feature == Feature.RelaxedSimd)
            RequireFeature(WasmFeatures.RelaxedSimd, instruction);
        for (var i = pops.Length - 1; i >= 0; i--)
            Pop(pops[i]);
        var pushes = info.Pushes!;
        for (var i = 0; i < pushes.Length; i++)
            Push(pushes[i]);
    }

    /// <summary>
    /// A memory instruction on a 64-bit memory (memory64): addresses, sizes and page counts are i64;
    /// memory.init's source offset and length and memory.fill's value stay i32.
    /// </summary>
    private void StepMemory64(OpcodeInfo info)
    {
        var pops = info.Pops!;
        for (var i = pops.Length - 1; i >= 0; i--)
        {
            var address = info.Opcode switch
            {
                Opcode.MemoryInit => i == 0,
                Opcode.MemoryFill => i != 1,
                Opcode.MemoryCopy or Opcode.MemoryGrow => true,
                _ => i == 0,
            };
            Pop(address ? ValueType.I64 : pops[i]);
        }
        foreach (var push in info.Pushes!)
            Push(info.Opcode is Opcode.MemorySize or Opcode.MemoryGrow ? ValueType.I64 : push);
    }

    private void CheckMemArg(OpcodeInfo info, MemArg memArg, in Instruction instruction)
    {
        if (info.IsAtomic)
        {
            RequireFeature(WasmFeatures.Threads, instruction);
            if (memArg.AlignLog2 != (uint)info.NaturalAlignmentLog2)
                throw Error("alignment must be exactly natural");
        }
        else if (memArg.AlignLog2 > (uint)info.NaturalAlignmentLog2)
        {
            throw Error("alignment must not be larger than natural");
        }
        if (info.Immediate == ImmediateKind.MemArgLane && instruction.Lane >= info.LaneCount)
            throw Error("invalid lane index");
    }

    private void PopThreeI32()
    {
        Pop(ValueType.I32);
        Pop(ValueType.I32);
        Pop(ValueType.I32);
    }

    private void CheckCatchClause(CatchClause clause)
    {
        var label = LabelTypes(in Label(clause.LabelIndex));
        ReadOnlySpan<ValueType> parameters = clause.Kind is CatchKind.Catch or CatchKind.CatchRef ? TagType(clause.TagIndex).Parameters : [];
        var withRef = clause.Kind is CatchKind.CatchRef or CatchKind.CatchAllRef;
        var expected = parameters.Length + (withRef ? 1 : 0);
        if (label.Length != expected || !label.AsSpan(0, parameters.Length).SequenceEqual(parameters)
            || (withRef && label[^1] != ValueType.ExnRef))
        {
            throw Error("type mismatch: catch clause does not match its label");
        }
    }

    /// <summary>The type of a table's indices: i64 for 64-bit tables (memory64 proposal), else i32.</summary>
    private static ValueType IndexType(TableType table) => table.Limits.Is64 ? ValueType.I64 : ValueType.I32;

    private static bool IsNumeric(ValueType type) => type == Unknown || type.IsNumeric();

    private static bool IsVector(ValueType type) => type is Unknown or ValueType.V128;

    private void RequireFeature(WasmFeatures feature, in Instruction instruction)
    {
        if (!_context.Has(feature))
            throw Error($"{instruction.Opcode.Mnemonic()} requires the {feature} feature");
    }

    private void RequireSameResults(FunctionType callee)
    {
        if (!callee.Results.AsSpan().SequenceEqual(_functionType.Results))
            throw Error("type mismatch: tail call results differ from the caller's");
    }

    private FunctionType FunctionType(uint index) => _context.FunctionTypeOf(index) ?? throw Error($"unknown function {index}");

    private FunctionType CallIndirectType(in Instruction instruction)
    {
        var table = Table(instruction.TableIndex);
        if (table.ElementType != ValueType.FuncRef)
            throw Error("type mismatch: call_indirect needs a funcref table");
        var typeIndex = instruction.TypeIndex;
        if (typeIndex >= (uint)_context.Types.Count)
            throw Error($"unknown type {typeIndex}");
        return _context.Types[(int)typeIndex];
    }

    private GlobalType Global(uint index) =>
        index < (uint)_context.Globals.Length ? _context.Globals[index] : throw Error($"unknown global {index}");

    private TableType Table(uint index) =>
        index < (uint)_context.Tables.Length ? _context.Tables[index] : throw Error($"unknown table {index}");

    private MemoryType Memory(uint index) =>
        index < (uint)_context.Memories.Length ? _context.Memories[index] : throw Error($"unknown memory {index}");

    private ValueType ElementType(uint index) =>
        index < (uint)_context.ElementTypes.Length ? _context.ElementTypes[index] : throw Error($"unknown elem segment {index}");

    private void DataSegment(uint index)
    {
        // Without a data count section the binary is malformed, unless there are no data segments
        // at all: then the index is simply unknown (what the text format's modules hit).
        var count = _context.DataCount
            ?? (_context.DataSegmentCount == 0 ? 0u : throw Error("data count section required"));
        if (index >= count)
            throw Error($"unknown data segment {index}");
    }

    private FunctionType TagType(uint index)
    {
        if (index >= (uint)_context.TagTypeIndices.Length)
            throw Error($"unknown tag {index}");
        var typeIndex = _context.TagTypeIndices[index];
        if (typeIndex >= (uint)_context.Types.Count)
            throw Error($"unknown type {typeIndex}");
        return _context.Types[(int)typeIndex];
    }
}
