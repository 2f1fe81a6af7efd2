using System.Text;
using Dwarfsmith.Wasm;
using ValueType = Dwarfsmith.Wasm.ValueType;
using Dwarfsmith.Wasm.Instructions;
using Dwarfsmith.Wasm.Validation;

namespace Dwarfsmith.Aot;

/// <summary>
/// Translates function bodies as the validator walks them (it reports, per instruction, the stack
/// height and the popped and pushed types). Each body becomes one C function: parameters and locals
/// are <c>l&lt;index&gt;</c>, the operand stack slot at height h of type t is <c>s&lt;h&gt;_&lt;t&gt;</c>,
/// blocks end at labels <c>L&lt;n&gt;</c>, loops start at them, and every instruction is one C line
/// after a <c>#line &lt;code offset&gt;</c> directive.
/// </summary>
internal sealed class FunctionTranslator : IValidationObserver
{
    private const int MaxIndent = 16;

    private readonly ModuleContext _c;
    private readonly StringBuilder _out;
    private readonly StringBuilder _body = new();
    private readonly List<Frame> _frames = [];
    // Slot names by type and height (built once), and which slots the current function uses.
    private readonly List<string>[] _slotNames = [.. Enumerable.Range(0, SlotTypes.Length).Select(_ => new List<string>())];
    private readonly List<bool>[] _slotUsed = [.. Enumerable.Range(0, SlotTypes.Length).Select(_ => new List<bool>())];

    private static readonly ValueType[] SlotTypes = [ValueType.I32, ValueType.I64, ValueType.F32, ValueType.F64, ValueType.FuncRef, ValueType.ExternRef, ValueType.V128];
    private FunctionBody _function = null!;
    private FunctionType _type = null!;
    private ValueType[] _localTypes = [];
    private uint _functionIndex;
    private uint _endOffset;
    private int _labels;
    // The function loads or stores: it declares wasm_mem0_base_local.
    private bool _accessesMemory;

    // After a #line's number: the file, the newline and the indentation of each depth.
    private readonly string[] _lineEnds;

    public FunctionTranslator(ModuleContext context, StringBuilder output)
    {
        _c = context;
        _out = output;
        _lineEnds = [.. Enumerable.Range(0, MaxIndent + 1).Select(depth => $" {context.LineDirectiveFile}\n{new string(' ', depth * 4)}")];
    }

    private sealed class Frame
    {
        public Opcode Kind;
        public int Label;
        /// <summary>Stack height below the block's parameters.</summary>
        public int Height;
        public ValueType[] Parameters = [];
        public ValueType[] Results = [];
        /// <summary>Entered from unreachable code: nothing inside is emitted.</summary>
        public bool Dead;

        /// <summary>The types a branch to this frame carries.</summary>
        public ValueType[] LabelTypes => Kind == Opcode.Loop ? Parameters : Results;
    }

    public void BeginFunction(uint functionIndex, FunctionType type, ReadOnlySpan<ValueType> localTypes)
    {
        _c.Module.TryGetBody(functionIndex, out var body);
        _function = body!;
        _functionIndex = functionIndex;
        _type = type;
        _localTypes = localTypes.ToArray();
        _body.Clear();
        foreach (var used in _slotUsed)
            used.Clear();
        _frames.Clear();
        _labels = 0;
        _accessesMemory = false;
        _frames.Add(new Frame { Kind = Opcode.End, Height = 0, Results = type.Results });
    }

    public void OnInstruction(in Instruction instruction, in OperandEffect effect) =>
        Translate(in instruction, effect.HeightBefore, effect.Popped, effect.Pushed, effect.Unreachable);

    private void Translate(in Instruction instruction, int heightBefore, ReadOnlySpan<ValueType> popped, ReadOnlySpan<ValueType> pushed, bool unreachable)
    {
        var op = instruction.Opcode;
        var offset = _function.InstructionsCodeOffset + (uint)instruction.Offset;
        var top = _frames[^1];
        var h = heightBefore;
        switch (op)
        {
            case Opcode.Block or Opcode.Loop or Opcode.If:
            {
                var (parameters, results) = BlockSignature(instruction.BlockType);
                var frame = new Frame
                {
                    Kind = op,
                    Label = ++_labels,
                    Height = h - parameters.Length - (op == Opcode.If ? 1 : 0),
                    Parameters = parameters,
                    Results = results,
                    Dead = top.Dead || unreachable,
                };
                if (!frame.Dead)
                {
                    Line(offset);
                    if (op == Opcode.Block)
                        _body.Append("WASM_NOP(); /* block */\n");
                    else if (op == Opcode.Loop)
                        _body.Append('L').Append(frame.Label).Append(": WASM_NOP(); /* loop */\n");
                    else
                        _body.Append("if (").Append(Slot(h - 1, ValueType.I32)).Append(") {\n");
                }
                _frames.Add(frame);
                return;
            }
            case Opcode.Else:
                if (!top.Dead)
                {
                    Line(offset, -1);
                    _body.Append("} else { WASM_NOP(); /* else */\n");
                }
                return;
            case Opcode.End:
                _frames.RemoveAt(_frames.Count - 1);
                if (top.Dead)
                    return;
                if (_frames.Count == 0)
                {
                    _endOffset = offset;
                    if (!unreachable)
                    {
                        Line(offset);
                        AppendReturn(h);
                        _body.Append('\n');
                    }
                    return;
                }
                Line(offset, top.Kind is Opcode.If or Opcode.Else ? -1 : 0);
                if (top.Kind is Opcode.If or Opcode.Else)
                    _body.Append("} ");
                if (top.Kind != Opcode.Loop)
                    _body.Append('L').Append(top.Label).Append(": ");
                _body.Append("WASM_NOP(); /* end */\n");
                return;
        }
        if (unreachable || top.Dead)
            return;

        Line(offset);
        var o = _body;
        switch (op)
        {
            case Opcode.Unreachable:
                o.Append("wasm_trap(WASM_TRAP_UNREACHABLE, ").Append(offset).Append(");");
                break;
            case Opcode.Nop:
                o.Append("WASM_NOP();");
                break;
            case Opcode.Drop:
                o.Append("WASM_NOP(); /* drop */");
                break;
            case Opcode.Br:
                AppendBranch(_frames[^(1 + (int)instruction.LabelIndex)], h);
                break;
            case Opcode.BrIf:
                o.Append("if (").Append(Slot(h - 1, ValueType.I32)).Append(") { ");
                AppendBranch(_frames[^(1 + (int)instruction.LabelIndex)], h - 1);
                o.Append(" }");
                break;
            case Opcode.BrTable:
            {
                o.Append("switch (").Append(Slot(h - 1, ValueType.I32)).Append(") { ");
                var code = _function.Instructions.Span;
                var i = 0;
                foreach (var label in instruction.GetBrTableTargets(code))
                {
                    o.Append("case ").Append(i++).Append(": ");
                    AppendBranch(_frames[^(1 + (int)label)], h - 1);
                    o.Append(' ');
                }
                o.Append("default: ");
                AppendBranch(_frames[^(1 + (int)instruction.BrTableDefault)], h - 1);
                o.Append(" }");
                break;
            }
            case Opcode.Return:
                AppendReturn(h);
                break;
            case Opcode.Call:
                AppendCall(_c.FunctionType(instruction.FunctionIndex), h, _c.CFunctionName(instruction.FunctionIndex), 0);
                break;
            case Opcode.CallIndirect:
            {
                var type = _c.Module.Types[(int)instruction.TypeIndex];
                var callee = new StringBuilder("((").Append(CNames.ReturnType(type)).Append(" (*)(");
                AppendParameterTypes(callee, type);
                callee.Append("))wasm_call_target(&").Append(CNames.Table(instruction.TableIndex)).Append(", ")
                    .Append(Slot(h - 1, ValueType.I32)).Append(", ").Append(_c.TypeIds[instruction.TypeIndex]).Append(", ").Append(offset).Append("))");
                AppendCall(type, h - 1, callee.ToString(), 0);
                break;
            }
            case Opcode.Select or Opcode.SelectTyped:
            {
                var type = popped[1];
                o.Append(Slot(h - 3, type)).Append(" = ").Append(Slot(h - 1, ValueType.I32)).Append(" ? ")
                    .Append(Slot(h - 3, type)).Append(" : ").Append(Slot(h - 2, type)).Append(';');
                break;
            }
            case Opcode.LocalGet:
                o.Append(Slot(h, pushed[0])).Append(" = ").Append(CNames.Local(instruction.LocalIndex)).Append(';');
                break;
            case Opcode.LocalSet or Opcode.LocalTee:
                o.Append(CNames.Local(instruction.LocalIndex)).Append(" = ").Append(Slot(h - 1, popped[0])).Append(';');
                break;
            case Opcode.GlobalGet:
                o.Append(Slot(h, pushed[0])).Append(" = ").Append(CNames.Global(instruction.GlobalIndex)).Append(';');
                break;
            case Opcode.GlobalSet:
                o.Append(CNames.Global(instruction.GlobalIndex)).Append(" = ").Append(Slot(h - 1, popped[0])).Append(';');
                break;
            case Opcode.I32Const:
                o.Append(Slot(h, ValueType.I32)).Append(" = ").Append(CLiterals.I32(instruction.I32Value)).Append(';');
                break;
            case Opcode.I64Const:
                o.Append(Slot(h, ValueType.I64)).Append(" = ").Append(CLiterals.I64(instruction.I64Value)).Append(';');
                break;
            case Opcode.F32Const:
                o.Append(Slot(h, ValueType.F32)).Append(" = ").Append(CLiterals.F32(instruction.F32Bits)).Append(';');
                break;
            case Opcode.F64Const:
                o.Append(Slot(h, ValueType.F64)).Append(" = ").Append(CLiterals.F64(instruction.F64Bits)).Append(';');
                break;
            case Opcode.V128Const:
                o.Append(Slot(h, ValueType.V128)).Append(" = ").Append(CLiterals.V128(instruction.V128Value)).Append(';');
                break;
            case Opcode.I8x16Shuffle:
                o.Append(Slot(h - 2, ValueType.V128)).Append(" = wasm_i8x16_shuffle(").Append(Slot(h - 2, ValueType.V128)).Append(", ")
                    .Append(Slot(h - 1, ValueType.V128)).Append(", ").Append(CLiterals.V128(instruction.V128Value)).Append(");");
                break;
            case Opcode.MemorySize:
                o.Append(Slot(h, ValueType.I32)).Append(" = (uint32_t)(").Append(CNames.MemorySize).Append(" / WASM_PAGE_SIZE);");
                break;
            case Opcode.MemoryGrow:
                o.Append(Slot(h - 1, ValueType.I32)).Append(" = wasm_memory_grow(").Append(Slot(h - 1, ValueType.I32)).Append(");");
                break;
            case Opcode.MemoryInit:
                o.Append("wasm_memory_init(").Append(CNames.DataSegment(instruction.DataIndex)).Append(", wasm_data_length[").Append(instruction.DataIndex).Append("], ")
                    .Append(Slot(h - 3, ValueType.I32)).Append(", ").Append(Slot(h - 2, ValueType.I32)).Append(", ").Append(Slot(h - 1, ValueType.I32)).Append(", ").Append(offset).Append(");");
                break;
            case Opcode.DataDrop:
                o.Append("wasm_data_length[").Append(instruction.DataIndex).Append("] = 0;");
                break;
            case Opcode.RefNull:
                o.Append(Slot(h, pushed[0])).Append(" = 0;");
                break;
            case Opcode.RefIsNull:
                o.Append(Slot(h - 1, ValueType.I32)).Append(" = ").Append(Slot(h - 1, popped[0])).Append(" == 0;");
                break;
            case Opcode.RefFunc:
                o.Append(Slot(h, ValueType.FuncRef)).Append(" = &").Append(CNames.FunctionReference(instruction.FunctionIndex)).Append(';');
                break;
            case Opcode.TableGet:
            {
                var type = pushed[0];
                o.Append(Slot(h - 1, type)).Append(" = (").Append(CNames.CType(type)).Append(")wasm_table_get(&").Append(CNames.Table(instruction.TableIndex))
                    .Append(", ").Append(Slot(h - 1, ValueType.I32)).Append(", ").Append(offset).Append(");");
                break;
            }
            case Opcode.TableSet:
                o.Append("wasm_table_set(&").Append(CNames.Table(instruction.TableIndex)).Append(", ").Append(Slot(h - 2, ValueType.I32)).Append(", ")
                    .Append(Slot(h - 1, popped[0])).Append(", ").Append(offset).Append(");");
                break;
            case Opcode.TableSize:
                o.Append(Slot(h, ValueType.I32)).Append(" = ").Append(CNames.Table(instruction.TableIndex)).Append(".size;");
                break;
            case Opcode.TableGrow:
                o.Append(Slot(h - 2, ValueType.I32)).Append(" = wasm_table_grow(&").Append(CNames.Table(instruction.TableIndex)).Append(", ")
                    .Append(Slot(h - 2, popped[1])).Append(", ").Append(Slot(h - 1, ValueType.I32)).Append(");");
                break;
            case Opcode.TableFill:
                o.Append("wasm_table_fill(&").Append(CNames.Table(instruction.TableIndex)).Append(", ").Append(Slot(h - 3, ValueType.I32)).Append(", ")
                    .Append(Slot(h - 2, popped[1])).Append(", ").Append(Slot(h - 1, ValueType.I32)).Append(", ").Append(offset).Append(");");
                break;
            case Opcode.TableCopy:
                o.Append("wasm_table_copy(&").Append(CNames.Table(instruction.DestinationTableIndex)).Append(", &").Append(CNames.Table(instruction.SourceTableIndex)).Append(", ")
                    .Append(Slot(h - 3, ValueType.I32)).Append(", ").Append(Slot(h - 2, ValueType.I32)).Append(", ").Append(Slot(h - 1, ValueType.I32)).Append(", ").Append(offset).Append(");");
                break;
            case Opcode.TableInit:
                o.Append("wasm_table_init(&").Append(CNames.Table(instruction.TableIndex)).Append(", ").Append(CNames.ElementSegment(instruction.ElementIndex))
                    .Append(", wasm_elem_length[").Append(instruction.ElementIndex).Append("], ")
                    .Append(Slot(h - 3, ValueType.I32)).Append(", ").Append(Slot(h - 2, ValueType.I32)).Append(", ").Append(Slot(h - 1, ValueType.I32)).Append(", ").Append(offset).Append(");");
                break;
            case Opcode.ElemDrop:
                o.Append("wasm_elem_length[").Append(instruction.ElementIndex).Append("] = 0;");
                break;
            default:
                if (!CTemplates.TryGet(op, out var template))
                    throw new AotException($"unsupported instruction {op.Mnemonic()} in function {_functionIndex} at code offset 0x{offset:X}");
                AppendTemplate(template, h, popped, pushed, offset, instruction);
                break;
        }
        o.Append('\n');
    }

    public void EndFunction()
    {
        var o = _out;
        var codeOffset = _function.CodeOffset;
        var lineDirective = $"#line {codeOffset} {_c.LineDirectiveFile}\n";
        o.Append(lineDirective);
        o.Append("WASM_FUNCTION ").Append(_c.Internal).Append(CNames.ReturnType(_type)).Append(' ').Append(_c.FunctionNames[_functionIndex]).Append('(');
        if (_type.Parameters.Length == 0)
            o.Append("void");
        for (var i = 0; i < _type.Parameters.Length; i++)
        {
            if (i > 0)
                o.Append(", ");
            o.Append(CNames.CType(_type.Parameters[i])).Append(' ').Append(CNames.Local((uint)i));
        }
        o.Append(") {\n");

        // Declared locals, grouped in runs of one type, zero-initialized.
        for (var i = _type.Parameters.Length; i < _localTypes.Length;)
        {
            var type = _localTypes[i];
            o.Append(lineDirective).Append("    ").Append(CNames.CType(type)).Append(' ');
            var first = true;
            var count = 0;
            for (; i < _localTypes.Length && _localTypes[i] == type && count < 16; i++, count++)
            {
                if (!first)
                    o.Append(", ");
                first = false;
                o.Append(CNames.Local((uint)i)).Append(type == ValueType.V128 ? " = { 0 }" : " = 0");
            }
            o.Append(";\n");
        }

        // Stack slots, by type then height.
        for (var t = 0; t < SlotTypes.Length; t++)
        {
            var used = _slotUsed[t];
            var first = true;
            for (var height = 0; height < used.Count; height++)
            {
                if (!used[height])
                    continue;
                o.Append(first ? lineDirective + "    " + CNames.CType(SlotTypes[t]) + " " : ", ").Append(_slotNames[t][height]);
                first = false;
            }
            if (!first)
                o.Append(";\n");
        }
        // The guard-page loads and stores address memory through a local copy of the base (it never
        // moves): the compiler keeps a local in a register, where it would reload the global after
        // every store, since a store through a byte pointer may change any global.
        if (_accessesMemory)
            o.Append(lineDirective).Append("    uint8_t *const ").Append(CNames.MemoryBaseLocal).Append(" = ").Append(CNames.MemoryBase).Append(";\n");
        o.Append(lineDirective).Append("    WASM_ENTER(").Append(codeOffset).Append(");\n");
        o.Append(_body);
        // The epilogue belongs to the function's final end.
        o.Append("#line ").Append(_endOffset).Append(' ').Append(_c.LineDirectiveFile).Append("\n}\n\n");
    }

    private (ValueType[] Parameters, ValueType[] Results) BlockSignature(BlockType type) => type.Kind switch
    {
        BlockTypeKind.Empty => ([], []),
        BlockTypeKind.Value => ([], [type.ValueType]),
        _ => (_c.Module.Types[(int)type.TypeIndex].Parameters, _c.Module.Types[(int)type.TypeIndex].Results),
    };

    private string Slot(int height, ValueType type)
    {
        var t = type switch
        {
            ValueType.I32 => 0,
            ValueType.I64 => 1,
            ValueType.F32 => 2,
            ValueType.F64 => 3,
            ValueType.FuncRef => 4,
            ValueType.ExternRef => 5,
            ValueType.V128 => 6,
            _ => throw new AotException($"unsupported value type {type.Name()}"),
        };
        var names = _slotNames[t];
        while (names.Count <= height)
            names.Add(CNames.StackSlot(names.Count, type));
        var used = _slotUsed[t];
        while (used.Count <= height)
            used.Add(false);
        used[height] = true;
        return names[height];
    }

    /// <summary>A #line directive for the code offset, then the indentation of the current nesting.</summary>
    private void Line(uint offset, int indentDelta = 0)
    {
        var depth = Math.Clamp(_frames.Count + indentDelta, 1, MaxIndent);
        _body.Append("#line ").Append(offset).Append(_lineEnds[depth]);
    }

    /// <summary>
    /// A branch to <paramref name="target"/> with the label's values on top of a stack of height
    /// <paramref name="height"/>: they move down to the target's slots, then goto (or return for the
    /// function's own label).
    /// </summary>
    private void AppendBranch(Frame target, int height)
    {
        if (target == _frames[0])
        {
            AppendReturn(height);
            return;
        }
        var types = target.LabelTypes;
        var from = height - types.Length;
        if (from != target.Height)
        {
            for (var i = 0; i < types.Length; i++)
                _body.Append(Slot(target.Height + i, types[i])).Append(" = ").Append(Slot(from + i, types[i])).Append("; ");
        }
        _body.Append("goto L").Append(target.Label).Append(';');
    }

    /// <summary>Returns the function's results, the top values of a stack of height <paramref name="height"/>.</summary>
    private void AppendReturn(int height)
    {
        var results = _type.Results;
        var from = height - results.Length;
        _body.Append("WASM_LEAVE(); return");
        if (results.Length == 1)
        {
            _body.Append(' ').Append(Slot(from, results[0]));
        }
        else if (results.Length > 1)
        {
            _body.Append(" (").Append(CNames.MultiValueStruct(results)).Append("){ ");
            for (var i = 0; i < results.Length; i++)
                _body.Append(i > 0 ? ", " : "").Append(Slot(from + i, results[i]));
            _body.Append(" }");
        }
        _body.Append(';');
    }

    /// <summary>A call whose arguments are the top values of a stack of height <paramref name="height"/>.</summary>
    private void AppendCall(FunctionType type, int height, string callee, int unused)
    {
        _ = unused;
        var o = _body;
        var from = height - type.Parameters.Length;
        var results = type.Results;
        if (results.Length == 1)
            o.Append(Slot(from, results[0])).Append(" = ");
        else if (results.Length > 1)
            o.Append("{ ").Append(CNames.MultiValueStruct(results)).Append(" r = ");
        o.Append(callee).Append('(');
        for (var i = 0; i < type.Parameters.Length; i++)
            o.Append(i > 0 ? ", " : "").Append(Slot(from + i, type.Parameters[i]));
        o.Append(");");
        if (results.Length > 1)
        {
            for (var i = 0; i < results.Length; i++)
                o.Append(' ').Append(Slot(from + i, results[i])).Append(" = r.r").Append(i).Append(';');
            o.Append(" }");
        }
    }

    private static void AppendParameterTypes(StringBuilder o, FunctionType type)
    {
        if (type.Parameters.Length == 0)
            o.Append("void");
        for (var i = 0; i < type.Parameters.Length; i++)
            o.Append(i > 0 ? ", " : "").Append(CNames.CType(type.Parameters[i]));
    }

    private void AppendTemplate(CTemplates.Part[] template, int height, ReadOnlySpan<ValueType> popped, ReadOnlySpan<ValueType> pushed, uint offset, in Instruction instruction)
    {
        var n = popped.Length;
        var bottom = height - n;
        var a = n > 0 ? Slot(bottom, popped[n - 1]) : "";
        var b = n > 1 ? Slot(bottom + 1, popped[n - 2]) : "";
        var c = n > 2 ? Slot(bottom + 2, popped[n - 3]) : "";
        if (pushed.Length == 1)
            _body.Append(Slot(bottom, pushed[0])).Append(" = ");
        var accessesMemory = instruction.Info.Immediate is ImmediateKind.MemArg or ImmediateKind.MemArgLane;
        _accessesMemory |= accessesMemory;
        var memoryOffset = accessesMemory ? instruction.MemArg.Offset : 0;
        var lane = instruction.Info.Immediate is ImmediateKind.Lane or ImmediateKind.MemArgLane ? instruction.Lane : (byte)0;
        CTemplates.Append(_body, template, a, b, c, offset, memoryOffset, lane);
        _body.Append(';');
    }
}
