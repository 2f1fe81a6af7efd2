using Dwarfsmith.Wasm.Instructions;

namespace Dwarfsmith.Wasm.Validation;

public sealed partial class FunctionValidator
{
    private void Step(in Instruction instruction)
    {
        var info = instruction.Info;
        if (info.Feature > Feature.Simd)
            RequireFeature(info);
        if (info.Pops is not null)
        {
            CheckImmediates(in instruction, info);
            PopOperands(info, in instruction);
            Push(info.Pushes!);
            return;
        }
        switch (instruction.Opcode)
        {
            case Opcode.Unreachable:
                MarkUnreachable();
                break;
            case Opcode.Block or Opcode.Loop:
            {
                var signature = BlockSignature(instruction.BlockType);
                Pop(signature.Parameters);
                PushFrame(instruction.Opcode, signature);
                break;
            }
            case Opcode.If:
            {
                Pop(ValueType.I32);
                var signature = BlockSignature(instruction.BlockType);
                Pop(signature.Parameters);
                PushFrame(Opcode.If, signature);
                break;
            }
            case Opcode.Else:
            {
                var frame = PopFrame();
                if (frame.Opcode != Opcode.If)
                    throw Error("else without matching if");
                PushFrame(Opcode.Else, frame.Type);
                break;
            }
            case Opcode.End:
            {
                var frame = PopFrame();
                if (frame.Opcode == Opcode.If && !frame.Type.Parameters.AsSpan().SequenceEqual(frame.Type.Results))
                    throw Error("type mismatch: if without else must leave its parameters as results");
                Push(frame.Type.Results);
                break;
            }
            case Opcode.Br:
                Pop(LabelTypes(Label(instruction.LabelIndex)));
                MarkUnreachable();
                break;
            case Opcode.BrIf:
            {
                Pop(ValueType.I32);
                var types = LabelTypes(Label(instruction.LabelIndex));
                Pop(types);
                Push(types);
                break;
            }
            case Opcode.BrTable:
                BrTable(in instruction);
                break;
            case Opcode.Return:
                Pop(_frames[0].Type.Results);
                MarkUnreachable();
                break;
            case Opcode.Call:
            {
                var type = FunctionTypeOf(instruction.FunctionIndex);
                Pop(type.Parameters);
                Push(type.Results);
                break;
            }
            case Opcode.ReturnCall:
            {
                var type = FunctionTypeOf(instruction.FunctionIndex);
                CheckTailCallResults(type);
                Pop(type.Parameters);
                MarkUnreachable();
                break;
            }
            case Opcode.CallIndirect or Opcode.ReturnCallIndirect:
            {
                var table = TableOf(instruction.TableIndex);
                if (table.ElementType != ValueType.FuncRef)
                    throw Error("type mismatch: call_indirect needs a funcref table");
                var type = TypeAt(instruction.TypeIndex);
                Pop(table.Limits.Is64 ? ValueType.I64 : ValueType.I32);
                Pop(type.Parameters);
                if (instruction.Opcode == Opcode.CallIndirect)
                {
                    Push(type.Results);
                }
                else
                {
                    CheckTailCallResults(type);
                    MarkUnreachable();
                }
                break;
            }
            case Opcode.Drop:
                Pop();
                break;
            case Opcode.Select:
            {
                Pop(ValueType.I32);
                var first = Pop();
                var second = Pop();
                var bothNumeric = IsNumericOrUnknown(first) && IsNumericOrUnknown(second);
                var bothVector = IsVectorOrUnknown(first) && IsVectorOrUnknown(second);
                if (!bothNumeric && !bothVector)
                    throw Error("type mismatch: select needs numeric or vector operands of one type");
                if (first != second && first != Unknown && second != Unknown)
                    throw Error("type mismatch: select operands differ");
                Push(first == Unknown ? second : first);
                break;
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
                break;
            }
            case Opcode.LocalGet:
                Push(LocalType(instruction.LocalIndex));
                break;
            case Opcode.LocalSet:
                Pop(LocalType(instruction.LocalIndex));
                break;
            case Opcode.LocalTee:
            {
                var type = LocalType(instruction.LocalIndex);
                Pop(type);
                Push(type);
                break;
            }
            case Opcode.GlobalGet:
                Push(GlobalOf(instruction.GlobalIndex).ValueType);
                break;
            case Opcode.GlobalSet:
            {
                var global = GlobalOf(instruction.GlobalIndex);
                if (!global.Mutable)
                    throw Error($"global is immutable: global.set {instruction.GlobalIndex}");
                Pop(global.ValueType);
                break;
            }
            case Opcode.TableGet:
            {
                var table = TableOf(instruction.TableIndex);
                Pop(IndexType(table));
                Push(table.ElementType);
                break;
            }
            case Opcode.TableSet:
            {
                var table = TableOf(instruction.TableIndex);
                Pop(table.ElementType);
                Pop(IndexType(table));
                break;
            }
            case Opcode.TableGrow:
            {
                var table = TableOf(instruction.TableIndex);
                Pop(IndexType(table));
                Pop(table.ElementType);
                Push(IndexType(table));
                break;
            }
            case Opcode.TableFill:
            {
                var table = TableOf(instruction.TableIndex);
                Pop(IndexType(table));
                Pop(table.ElementType);
                Pop(IndexType(table));
                break;
            }
            case Opcode.RefNull:
                Push(instruction.RefType);
                break;
            case Opcode.RefIsNull:
            {
                var type = Pop();
                if (type != Unknown && !type.IsReference())
                    throw Error($"type mismatch: ref.is_null needs a reference, found {type.Name()}");
                Push(ValueType.I32);
                break;
            }
            case Opcode.RefFunc:
                FunctionTypeOf(instruction.FunctionIndex);
                if (!_context.DeclaredFunctionReferences.Contains(instruction.FunctionIndex))
                    throw Error($"undeclared function reference {instruction.FunctionIndex}");
                Push(ValueType.FuncRef);
                break;
            default:
                StepExceptionHandling(in instruction);
                break;
        }
    }

    private void StepExceptionHandling(in Instruction instruction)
    {
        switch (instruction.Opcode)
        {
            case Opcode.Try:
            {
                var signature = BlockSignature(instruction.BlockType);
                Pop(signature.Parameters);
                PushFrame(Opcode.Try, signature);
                break;
            }
            case Opcode.Catch or Opcode.CatchAll:
            {
                var frame = PopFrame();
                if (frame.Opcode is not (Opcode.Try or Opcode.Catch))
                    throw Error($"{instruction.Opcode.Mnemonic()} without matching try");
                PushFrame(instruction.Opcode, new FunctionType([], frame.Type.Results));
                if (instruction.Opcode == Opcode.Catch)
                    Push(TagType(instruction.TagIndex).Parameters);
                break;
            }
            case Opcode.Delegate:
            {
                var frame = PopFrame();
                if (frame.Opcode != Opcode.Try)
                    throw Error("delegate without matching try");
                Label(instruction.LabelIndex);
                Push(frame.Type.Results);
                break;
            }
            case Opcode.Throw:
                Pop(TagType(instruction.TagIndex).Parameters);
                MarkUnreachable();
                break;
            case Opcode.Rethrow:
                if (Label(instruction.LabelIndex).Opcode is not (Opcode.Catch or Opcode.CatchAll))
                    throw Error("rethrow target is not a catch block");
                MarkUnreachable();
                break;
            case Opcode.ThrowRef:
                Pop(ValueType.ExnRef);
                MarkUnreachable();
                break;
            case Opcode.TryTable:
            {
                var signature = BlockSignature(instruction.BlockType);
                foreach (var clause in instruction.GetCatches(Code))
                {
                    var label = LabelTypes(Label(clause.LabelIndex));
                    ValueType[] carried = clause.Kind switch
                    {
                        CatchKind.Catch => TagType(clause.TagIndex).Parameters,
                        CatchKind.CatchRef => [.. TagType(clause.TagIndex).Parameters, ValueType.ExnRef],
                        CatchKind.CatchAll => [],
                        _ => [ValueType.ExnRef],
                    };
                    if (!label.AsSpan().SequenceEqual(carried))
                        throw Error("type mismatch: catch clause does not match its label");
                }
                Pop(signature.Parameters);
                PushFrame(Opcode.TryTable, signature);
                break;
            }
            default:
                throw Error($"validation of {instruction.Opcode.Mnemonic()} is not supported");
        }
    }

    private void BrTable(in Instruction instruction)
    {
        Pop(ValueType.I32);
        var defaultTypes = LabelTypes(Label(instruction.BrTableDefault));
        var arity = defaultTypes.Length;
        Span<ValueType> scratch = arity <= 16 ? stackalloc ValueType[arity] : new ValueType[arity];
        foreach (var target in instruction.GetBrTableTargets(Code))
        {
            var types = LabelTypes(Label(target));
            if (types.Length != arity)
                throw Error("type mismatch: br_table targets have different arities");
            // Each target's types must fit the stack; the values stay for the next target.
            for (var i = arity - 1; i >= 0; i--)
                scratch[i] = PopQuiet(types[i]);
            for (var i = 0; i < arity; i++)
                PushQuiet(scratch[i]);
        }
        Pop(defaultTypes);
        MarkUnreachable();
    }

    /// <summary>Pop without reporting to the observer (br_table's per-target checks).</summary>
    private ValueType PopQuiet(ValueType expected)
    {
        var recorded = _popped.Count;
        var type = Pop(expected);
        if (_observer is not null)
            _popped.RemoveAt(recorded);
        return type;
    }

    private void PushQuiet(ValueType type)
    {
        Push(type);
        if (_observer is not null)
            _pushed.RemoveAt(_pushed.Count - 1);
    }

    private void PopOperands(OpcodeInfo info, in Instruction instruction)
    {
        var pops = info.Pops!;
        var memory64 = info.IsMemoryAccess && _context.Memories.Length > 0 && MemoryOf(instruction.MemArg.MemoryIndex).Limits.Is64;
        for (var i = pops.Length - 1; i >= 0; i--)
            Pop(i == 0 && memory64 ? ValueType.I64 : pops[i]);
    }

    private void CheckImmediates(in Instruction instruction, OpcodeInfo info)
    {
        switch (info.Immediate)
        {
            case ImmediateKind.MemArg or ImmediateKind.MemArgLane:
            {
                var memArg = instruction.MemArg;
                MemoryOf(memArg.MemoryIndex);
                if (instruction.HasExplicitMemoryIndex && !_context.Has(WasmFeatures.MultiMemory))
                    throw Error("multiple memories are not enabled");
                if (info.IsAtomic ? memArg.AlignLog2 != info.NaturalAlignmentLog2 : memArg.AlignLog2 > info.NaturalAlignmentLog2)
                    throw Error(info.IsAtomic ? "alignment must be exactly natural" : "alignment must not be larger than natural");
                if (info.Immediate == ImmediateKind.MemArgLane && instruction.Lane >= info.LaneCount)
                    throw Error($"invalid lane index {instruction.Lane}");
                break;
            }
            case ImmediateKind.Lane:
                if (instruction.Lane >= info.LaneCount)
                    throw Error($"invalid lane index {instruction.Lane}");
                break;
            case ImmediateKind.Shuffle:
            {
                var lanes = instruction.V128Value;
                for (var i = 0; i < 16; i++)
                {
                    if ((byte)(lanes >> (8 * i)) >= 32)
                        throw Error($"invalid lane index {(byte)(lanes >> (8 * i))}");
                }
                break;
            }
            case ImmediateKind.MemoryIndex or ImmediateKind.MemoryFill:
                MemoryOf(instruction.MemoryIndex);
                break;
            case ImmediateKind.MemoryCopy:
                MemoryOf(instruction.MemoryIndex);
                MemoryOf(instruction.SecondIndex);
                break;
            case ImmediateKind.MemoryInit:
                DataSegment(instruction.DataIndex);
                MemoryOf(instruction.MemoryIndex);
                break;
            case ImmediateKind.DataIndex:
                DataSegment(instruction.DataIndex);
                break;
            case ImmediateKind.TableIndex:
                TableOf(instruction.TableIndex);
                break;
            case ImmediateKind.ElementIndex:
                ElementType(instruction.ElementIndex);
                break;
            case ImmediateKind.TableInit:
                if (ElementType(instruction.ElementIndex) != TableOf(instruction.TableIndex).ElementType)
                    throw Error("type mismatch: element segment and table types differ");
                break;
            case ImmediateKind.TableCopy:
                if (TableOf(instruction.SourceTableIndex).ElementType != TableOf(instruction.DestinationTableIndex).ElementType)
                    throw Error("type mismatch: table.copy between tables of different types");
                break;
        }
    }

    private void RequireFeature(OpcodeInfo info)
    {
        var needed = info.Feature switch
        {
            Feature.RelaxedSimd => WasmFeatures.RelaxedSimd,
            Feature.TailCall => WasmFeatures.TailCall,
            Feature.Exceptions or Feature.LegacyExceptions => WasmFeatures.ExceptionHandling,
            Feature.Threads => WasmFeatures.Threads,
            _ => WasmFeatures.Wasm2,
        };
        if (needed != WasmFeatures.Wasm2 && !_context.Has(needed))
            throw Error($"illegal opcode {info.Mnemonic}: {needed} is not enabled");
    }

    private void CheckTailCallResults(FunctionType callee)
    {
        if (!callee.Results.AsSpan().SequenceEqual(_frames[0].Type.Results))
            throw Error("type mismatch: tail call results differ from the caller's");
    }

    private static bool IsNumericOrUnknown(ValueType type) => type == Unknown || type.IsNumeric();

    private static bool IsVectorOrUnknown(ValueType type) => type is Unknown or ValueType.V128;

    private static ValueType IndexType(TableType table) => table.Limits.Is64 ? ValueType.I64 : ValueType.I32;

    private ValueType LocalType(uint index) =>
        index < (uint)_localCount ? _locals[index] : throw Error($"unknown local {index}");

    private GlobalType GlobalOf(uint index) =>
        index < (uint)_context.Globals.Length ? _context.Globals[index] : throw Error($"unknown global {index}");

    private TableType TableOf(uint index) =>
        index < (uint)_context.Tables.Length ? _context.Tables[index] : throw Error($"unknown table {index}");

    private MemoryType MemoryOf(uint index) =>
        index < (uint)_context.Memories.Length ? _context.Memories[index] : throw Error($"unknown memory {index}");

    private ValueType ElementType(uint index) =>
        index < (uint)_context.ElementTypes.Length ? _context.ElementTypes[index] : throw Error($"unknown elem segment {index}");

    private void DataSegment(uint index)
    {
        if (_context.DataCount is not { } count)
            throw Error("data count section required");
        if (index >= count)
            throw Error($"unknown data segment {index}");
    }

    private FunctionType TypeAt(uint index) =>
        index < (uint)_context.Types.Count ? _context.Types[(int)index] : throw Error($"unknown type {index}");

    private FunctionType FunctionTypeOf(uint functionIndex) =>
        _context.TryGetFunctionType(functionIndex, out var type) ? type : throw Error($"unknown function {functionIndex}");

    private FunctionType TagType(uint tagIndex) =>
        tagIndex < (uint)_context.TagTypeIndices.Length ? TypeAt(_context.TagTypeIndices[tagIndex]) : throw Error($"unknown tag {tagIndex}");
}
