using Dwarfsmith.Wasm.Instructions;

namespace Dwarfsmith.Wasm.Validation;

/// <summary>
/// Type-checks function bodies with the algorithm of the spec's validation appendix: an operand
/// stack whose entries may be Unknown (0) in unreachable code, and a stack of control frames.
/// One instance is reused for every body of a module, so validation does not allocate per
/// instruction.
/// </summary>
public sealed partial class FunctionValidator
{
    private const ValueType Unknown = 0;

    private readonly ValidationContext _context;
    private readonly IOperandObserver? _observer;
    private ValueType[] _operands = new ValueType[64];
    private int _height;
    private ControlFrame[] _frames = new ControlFrame[16];
    private int _depth;
    private ValueType[] _locals = new ValueType[64];
    private int _localCount;
    private readonly List<ValueType> _popped = [];
    private readonly List<ValueType> _pushed = [];
    private ReadOnlySpan<byte> Code => _code.Span;
    private ReadOnlyMemory<byte> _code;
    private long _codeFileOffset;
    private int _instructionOffset;

    public FunctionValidator(ValidationContext context, IOperandObserver? observer = null)
    {
        _context = context;
        _observer = observer;
    }

    /// <summary>Instructions validated so far by this instance.</summary>
    public long InstructionCount { get; private set; }

    private struct ControlFrame
    {
        public Opcode Opcode;
        public FunctionType Type;
        public int Height;
        public bool Unreachable;
    }

    /// <summary>Validates one body; throws <see cref="WasmFormatException"/> at the offending instruction.</summary>
    public void Validate(FunctionBody body)
    {
        var functionIndex = body.FunctionIndex;
        if (!_context.TryGetFunctionType(functionIndex, out var type))
            throw new WasmFormatException($"unknown type for function {functionIndex}", "function section", body.Offset);
        SetUpLocals(body, type);
        _code = body.Instructions;
        _codeFileOffset = body.InstructionsOffset;
        _height = 0;
        _depth = 0;
        PushFrame(Opcode.Block, new FunctionType([], type.Results));
        _observer?.BeginFunction(functionIndex, type, _locals.AsSpan(0, _localCount));

        var reader = new InstructionReader(Code, _codeFileOffset);
        var ended = false;
        while (reader.TryRead(out var instruction))
        {
            if (ended)
                throw Error(instruction.Offset, "operators remaining after end of function");
            _instructionOffset = instruction.Offset;
            var heightBefore = _height;
            var unreachable = _frames[_depth - 1].Unreachable;
            if (_observer is not null)
            {
                _popped.Clear();
                _pushed.Clear();
            }
            Step(in instruction);
            InstructionCount++;
            _observer?.OnInstruction(in instruction, heightBefore, Popped, Pushed, unreachable);
            if (_depth == 0)
                ended = true;
        }
        if (!ended)
            throw Error(Code.Length, "unexpected end of section or function: END opcode expected");
        _observer?.EndFunction();
    }

    private ReadOnlySpan<ValueType> Popped => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_popped);

    private ReadOnlySpan<ValueType> Pushed => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_pushed);

    private void SetUpLocals(FunctionBody body, FunctionType type)
    {
        var total = (ulong)type.Parameters.Length + body.LocalCount;
        // Locals beyond what any real program declares would need gigabytes here; the JS API caps
        // them at 50,000 and engines at similar numbers.
        if (total > 50_000)
            throw new WasmFormatException("too many locals", "code section", body.Offset);
        if (_locals.Length < (int)total)
            _locals = new ValueType[Math.Max((int)total, _locals.Length * 2)];
        type.Parameters.CopyTo(_locals, 0);
        var next = type.Parameters.Length;
        foreach (var declaration in body.Locals)
        {
            _locals.AsSpan(next, (int)declaration.Count).Fill(declaration.Type);
            next += (int)declaration.Count;
        }
        _localCount = next;
    }

    private WasmFormatException Error(int offset, string reason) => new(reason, "code section", _codeFileOffset + offset);

    private WasmFormatException Error(string reason) => Error(_instructionOffset, reason);

    // ---- operand stack ----

    private void Push(ValueType type)
    {
        if (_height == _operands.Length)
            Array.Resize(ref _operands, _operands.Length * 2);
        _operands[_height++] = type;
        if (_observer is not null)
            _pushed.Add(type);
    }

    private void Push(ValueType[] types)
    {
        foreach (var type in types)
            Push(type);
    }

    private ValueType Pop()
    {
        ref var frame = ref _frames[_depth - 1];
        if (_height == frame.Height)
        {
            if (frame.Unreachable)
            {
                if (_observer is not null)
                    _popped.Add(Unknown);
                return Unknown;
            }
            throw Error("type mismatch: operand stack underflow");
        }
        var type = _operands[--_height];
        if (_observer is not null)
            _popped.Add(type);
        return type;
    }

    private ValueType Pop(ValueType expected)
    {
        var actual = Pop();
        if (actual != expected && actual != Unknown && expected != Unknown)
            throw Error($"type mismatch: expected {expected.Name()}, found {actual.Name()}");
        return actual;
    }

    private void Pop(ValueType[] types)
    {
        for (var i = types.Length - 1; i >= 0; i--)
            Pop(types[i]);
    }

    // ---- control stack ----

    private void PushFrame(Opcode opcode, FunctionType type)
    {
        if (_depth == _frames.Length)
            Array.Resize(ref _frames, _frames.Length * 2);
        _frames[_depth++] = new ControlFrame { Opcode = opcode, Type = type, Height = _height, Unreachable = false };
        Push(type.Parameters);
    }

    private ControlFrame PopFrame()
    {
        if (_depth == 0)
            throw Error("unexpected end");
        var frame = _frames[_depth - 1];
        Pop(frame.Type.Results);
        if (_height != frame.Height)
            throw Error("type mismatch: values remaining on the stack at the end of a block");
        _depth--;
        return frame;
    }

    private static ValueType[] LabelTypes(in ControlFrame frame) => frame.Opcode == Opcode.Loop ? frame.Type.Parameters : frame.Type.Results;

    private ref ControlFrame Label(uint depth)
    {
        if (depth >= (uint)_depth)
            throw Error($"unknown label {depth}");
        return ref _frames[_depth - 1 - (int)depth];
    }

    private void MarkUnreachable()
    {
        ref var frame = ref _frames[_depth - 1];
        _height = frame.Height;
        frame.Unreachable = true;
    }

    private FunctionType BlockSignature(BlockType blockType)
    {
        switch (blockType.Kind)
        {
            case BlockTypeKind.Empty:
                return EmptyType;
            case BlockTypeKind.Value:
                return ResultTypes[blockType.ValueType];
            default:
                if (blockType.TypeIndex >= (uint)_context.Types.Count)
                    throw Error($"unknown type {blockType.TypeIndex}");
                return _context.Types[(int)blockType.TypeIndex];
        }
    }

    private static readonly FunctionType EmptyType = new([], []);

    private static readonly Dictionary<ValueType, FunctionType> ResultTypes =
        new[] { ValueType.I32, ValueType.I64, ValueType.F32, ValueType.F64, ValueType.V128, ValueType.FuncRef, ValueType.ExternRef, ValueType.ExnRef }
            .ToDictionary(t => t, t => new FunctionType([], [t]));
}
