namespace Dwarfsmith.Wasm;

/// <summary>
/// One entry of the code section. Offsets are given both in the file and in DWARF's address space,
/// where address 0 is the first byte of the code section's payload (its function-count LEB) and a
/// function's low_pc is <see cref="CodeOffset"/>, the first byte after the body-size LEB.
/// </summary>
public sealed class FunctionBody
{
    private LocalDeclaration[]? _locals;
    private int _instructionsStart;

    public FunctionBody(uint functionIndex, long sizeOffset, long offset, uint codeOffset, ReadOnlyMemory<byte> bytes)
    {
        FunctionIndex = functionIndex;
        SizeOffset = sizeOffset;
        Offset = offset;
        CodeOffset = codeOffset;
        Bytes = bytes;
    }

    /// <summary>Index in the function index space (imported functions come first).</summary>
    public uint FunctionIndex { get; }

    /// <summary>File offset of the body-size LEB.</summary>
    public long SizeOffset { get; }

    /// <summary>File offset of the body: its local declarations.</summary>
    public long Offset { get; }

    /// <summary>Offset of the body within the code section payload: the function's DWARF low_pc.</summary>
    public uint CodeOffset { get; }

    /// <summary>Locals and instructions, without the size LEB.</summary>
    public ReadOnlyMemory<byte> Bytes { get; }

    public int Size => Bytes.Length;

    /// <summary>Width of the body-size LEB in the file (5 when wasm-ld padded it).</summary>
    public int SizeLebWidth => (int)(Offset - SizeOffset);

    public IReadOnlyList<LocalDeclaration> Locals
    {
        get
        {
            EnsureLocals();
            return _locals!;
        }
    }

    /// <summary>Index within <see cref="Bytes"/> of the first instruction.</summary>
    public int InstructionsStart
    {
        get
        {
            EnsureLocals();
            return _instructionsStart;
        }
    }

    /// <summary>The instruction bytes, ending with the function's final <c>end</c>.</summary>
    public ReadOnlyMemory<byte> Instructions => Bytes[InstructionsStart..];

    public long InstructionsOffset => Offset + InstructionsStart;

    /// <summary>DWARF address of the first instruction.</summary>
    public uint InstructionsCodeOffset => CodeOffset + (uint)InstructionsStart;

    /// <summary>Total number of declared locals (parameters not included).</summary>
    public ulong LocalCount
    {
        get
        {
            ulong total = 0;
            foreach (var declaration in Locals)
                total += declaration.Count;
            return total;
        }
    }

    private void EnsureLocals()
    {
        if (_locals is not null)
            return;
        var reader = new WasmReader(Bytes.Span, Offset, "code section");
        var groups = reader.ReadCount(minBytesPerItem: 2);
        var locals = new LocalDeclaration[groups];
        ulong total = 0;
        for (var i = 0; i < groups; i++)
        {
            var count = reader.ReadVarUInt32();
            total += count;
            if (total > uint.MaxValue)
                throw reader.Error("too many locals");
            locals[i] = new LocalDeclaration(count, ValueTypes.ReadValueType(ref reader));
        }
        _instructionsStart = reader.Position;
        _locals = locals;
    }

    public override string ToString() => $"function {FunctionIndex} at code offset 0x{CodeOffset:X} ({Size} bytes)";
}
