using System.Runtime.CompilerServices;
using Dwarfsmith.Wasm.Instructions;

namespace Dwarfsmith.Wasm.Validation;

/// <summary>
/// Type-checks function bodies with the algorithm of the spec's validation appendix: an operand
/// stack whose entries may be Unknown in unreachable code, and a stack of control frames. One
/// instance is reused for many bodies; validation allocates nothing per instruction. Errors are
/// <see cref="WasmFormatException"/>s in "code section" at the offending instruction.
/// </summary>
public sealed partial class FunctionValidator
{
    private const ValueType Unknown = OperandTypes.Unknown;
    private const string Section = "code section";
    private const int FlatLocalLimit = 1 << 16;

    private static readonly ValueType[][] s_single = CreateSingles();
    private static readonly ValueType[] s_exnRef = [ValueType.ExnRef];

    private readonly ValidationContext _context;
    private ValueType[] _stack = new ValueType[256];
    private int _height;
    private Frame[] _frames = new Frame[32];
    private int _depth;
    private ValueType[] _popped = new ValueType[16];
    private int _poppedCount;
    private ValueType[] _pushed = new ValueType[16];
    private int _pushedCount;

    // Locals: a flat array when few, else runs (end index exclusive, type) searched by bisection.
    private ValueType[] _locals = new ValueType[64];
    private uint _localCount;
    private uint[] _runEnds = [];
    private ValueType[] _runTypes = [];
    private int _runCount;
    private bool _flatLocals;

    // The innermost frame's height and reachability, cached for Pop (the hottest path).
    private int _frameHeight;
    private bool _frameUnreachable;

    private FunctionType _functionType = null!;
    private long _codeOffset;
    private int _instructionOffset;

    public FunctionValidator(ValidationContext context)
    {
        _context = context;
    }

    public ValidationContext Context => _context;

    /// <summary>Instructions validated by this instance so far.</summary>
    public long InstructionCount { get; private set; }

    private struct Frame
    {
        public Opcode Kind;
        public ValueType[] Start;
        public ValueType[] End;
        public int Height;
        public bool Unreachable;
    }

    /// <summary>Validates a decoded body of the module the context was built from.</summary>
    public void Validate(FunctionBody body)
    {
        var observer = default(NoObserver);
        Validate(body, ref observer);
    }

    public void Validate<TObserver>(FunctionBody body, ref TObserver observer)
        where TObserver : IValidationObserver
    {
        LocalDeclaration[] locals = [.. body.Locals];
        Validate(body.FunctionIndex, locals, body.Instructions.Span, body.InstructionsOffset, ref observer);
    }

    /// <summary>
    /// Validates the instructions <paramref name="code"/> (ending with the function's final <c>end</c>)
    /// of function <paramref name="functionIndex"/> with its declared <paramref name="locals"/>.
    /// </summary>
    public void Validate<TObserver>(uint functionIndex, ReadOnlySpan<LocalDeclaration> locals, ReadOnlySpan<byte> code, long codeFileOffset, ref TObserver observer)
        where TObserver : IValidationObserver
    {
        _codeOffset = codeFileOffset;
        _instructionOffset = 0;
        _functionType = _context.FunctionTypeOf(functionIndex)
            ?? throw new WasmFormatException($"unknown function {functionIndex}", Section, codeFileOffset);
        SetUpLocals(_functionType, locals);
        _height = 0;
        _depth = 0;
        PushFrame(Opcode.Block, [], _functionType.Results);

        var reader = new InstructionReader(code, codeFileOffset);
        while (reader.TryRead(out var instruction))
        {
            if (_depth == 0)
                throw Error(instruction.Offset, "operators remaining after end of function");
            _instructionOffset = instruction.Offset;
            _poppedCount = 0;
            _pushedCount = 0;
            var heightBefore = _height;
            var depthBefore = _depth;
            var unreachable = _frameUnreachable;
            Step(in instruction, code);
            InstructionCount++;
            // Constant-folded per instantiation: without an observer nothing is built.
            if (typeof(TObserver) != typeof(NoObserver))
            {
                observer.OnInstruction(in instruction,
                    new OperandEffect(heightBefore, _popped.AsSpan(0, _poppedCount), _pushed.AsSpan(0, _pushedCount), unreachable, depthBefore));
            }
        }
        if (_depth != 0)
            throw Error(code.Length, "END opcode expected");
    }

    private void SetUpLocals(FunctionType type, ReadOnlySpan<LocalDeclaration> declarations)
    {
        ulong total = (ulong)type.Parameters.Length;
        foreach (var declaration in declarations)
            total += declaration.Count;
        if (total > uint.MaxValue)
            throw new WasmFormatException("too many locals", Section, _codeOffset);
        _localCount = (uint)total;
        _flatLocals = total <= FlatLocalLimit;
        if (_flatLocals)
        {
            if (_locals.Length < (int)total)
                _locals = new ValueType[Math.Max((int)total, _locals.Length * 2)];
            type.Parameters.CopyTo(_locals, 0);
            var next = type.Parameters.Length;
            foreach (var declaration in declarations)
            {
                _locals.AsSpan(next, (int)declaration.Count).Fill(declaration.Type);
                next += (int)declaration.Count;
            }
            return;
        }
        var runs = type.Parameters.Length + declarations.Length;
        if (_runEnds.Length < runs)
        {
            _runEnds = new uint[runs];
            _runTypes = new ValueType[runs];
        }
        _runCount = 0;
        uint end = 0;
        foreach (var parameter in type.Parameters)
        {
            _runEnds[_runCount] = ++end;
            _runTypes[_runCount++] = parameter;
        }
        foreach (var declaration in declarations)
        {
            if (declaration.Count == 0)
                continue;
            end += declaration.Count;
            _runEnds[_runCount] = end;
            _runTypes[_runCount++] = declaration.Type;
        }
    }

    private ValueType LocalType(uint index)
    {
        if (index >= _localCount)
            throw Error($"unknown local {index}");
        if (_flatLocals)
            return _locals[index];
        int low = 0, high = _runCount - 1;
        while (low < high)
        {
            var middle = (low + high) >> 1;
            if (_runEnds[middle] <= index)
                low = middle + 1;
            else
                high = middle;
        }
        return _runTypes[low];
    }

    private static ValueType[][] CreateSingles()
    {
        var singles = new ValueType[256][];
        for (var i = 0; i < 256; i++)
            singles[i] = [(ValueType)i];
        return singles;
    }

    internal static ValueType[] Single(ValueType type) => s_single[(byte)type];

    // ---- errors ----

    private WasmFormatException Error(int offset, string reason) => new(reason, Section, _codeOffset + offset);

    private WasmFormatException Error(string reason) => Error(_instructionOffset, reason);

    private WasmFormatException Mismatch(ValueType expected, ValueType actual) =>
        Error($"type mismatch: expected {Describe(expected)}, found {Describe(actual)}");

    private static string Describe(ValueType type) => type == Unknown ? "unknown" : type.Name();

    // ---- operand stack ----

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Push(ValueType type)
    {
        if (_height == _stack.Length)
            Array.Resize(ref _stack, _stack.Length * 2);
        _stack[_height++] = type;
        if (_pushedCount == _pushed.Length)
            Array.Resize(ref _pushed, _pushed.Length * 2);
        _pushed[_pushedCount++] = type;
    }

    private void Push(ValueType[] types)
    {
        foreach (var type in types)
            Push(type);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ValueType Pop()
    {
        ValueType type;
        if (_height == _frameHeight)
        {
            if (!_frameUnreachable)
                throw Error("type mismatch: operand stack is empty");
            type = Unknown;
        }
        else
        {
            type = _stack[--_height];
        }
        if (_poppedCount == _popped.Length)
            Array.Resize(ref _popped, _popped.Length * 2);
        _popped[_poppedCount++] = type;
        return type;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ValueType Pop(ValueType expected)
    {
        var actual = Pop();
        if (actual != expected && actual != Unknown && expected != Unknown)
            throw Mismatch(expected, actual);
        return actual;
    }

    private void Pop(ValueType[] types)
    {
        for (var i = types.Length - 1; i >= 0; i--)
            Pop(types[i]);
    }

    /// <summary>Checks that the top of the stack matches <paramref name="types"/> without popping (br_table's pop-then-push).</summary>
    private void Peek(ValueType[] types)
    {
        var frame = _frames[_depth - 1];
        for (var i = 0; i < types.Length; i++)
        {
            var position = _height - types.Length + i;
            ValueType actual;
            if (position < frame.Height)
            {
                if (!frame.Unreachable)
                    throw Error("type mismatch: operand stack is empty");
                actual = Unknown;
            }
            else
            {
                actual = _stack[position];
            }
            if (actual != types[i] && actual != Unknown)
                throw Mismatch(types[i], actual);
        }
    }

    // ---- control stack ----

    private void PushFrame(Opcode kind, ValueType[] start, ValueType[] end)
    {
        if (_depth == _frames.Length)
            Array.Resize(ref _frames, _frames.Length * 2);
        _frames[_depth++] = new Frame { Kind = kind, Start = start, End = end, Height = _height, Unreachable = false };
        _frameHeight = _height;
        _frameUnreachable = false;
        Push(start);
    }

    private Frame PopFrame()
    {
        var frame = _frames[_depth - 1];
        Pop(frame.End);
        if (_height != frame.Height)
            throw Error("type mismatch: values remain on the stack at the end of the block");
        _depth--;
        if (_depth > 0)
        {
            _frameHeight = _frames[_depth - 1].Height;
            _frameUnreachable = _frames[_depth - 1].Unreachable;
        }
        return frame;
    }

    private ref Frame Label(uint depth)
    {
        if (depth >= (uint)_depth)
            throw Error($"unknown label {depth}");
        return ref _frames[_depth - 1 - (int)depth];
    }

    private static ValueType[] LabelTypes(in Frame frame) => frame.Kind == Opcode.Loop ? frame.Start : frame.End;

    private void MarkUnreachable()
    {
        ref var frame = ref _frames[_depth - 1];
        _height = frame.Height;
        frame.Unreachable = true;
        _frameUnreachable = true;
    }

    private void ResolveBlockType(BlockType type, out ValueType[] start, out ValueType[] end)
    {
        switch (type.Kind)
        {
            case BlockTypeKind.Empty:
                start = [];
                end = [];
                break;
            case BlockTypeKind.Value:
                start = [];
                end = Single(type.ValueType);
                break;
            default:
                if (type.TypeIndex >= (uint)_context.Types.Count)
                    throw Error($"unknown type {type.TypeIndex}");
                var functionType = _context.Types[(int)type.TypeIndex];
                start = functionType.Parameters;
                end = functionType.Results;
                break;
        }
    }
}
