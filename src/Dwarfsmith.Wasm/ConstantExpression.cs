namespace Dwarfsmith.Wasm;

/// <summary>
/// An initializer expression (global init, element and data offsets, element items), kept as its
/// encoded bytes including the final <c>end</c>. Validation checks its constness and type.
/// </summary>
public sealed class ConstantExpression
{
    public ConstantExpression(ReadOnlyMemory<byte> bytes, long fileOffset)
    {
        Bytes = bytes;
        FileOffset = fileOffset;
    }

    /// <summary>Encoded instructions, ending with 0x0B.</summary>
    public ReadOnlyMemory<byte> Bytes { get; }

    public long FileOffset { get; }

    /// <summary>The value of an expression that is a single <c>i32.const</c>, as data and element offsets usually are.</summary>
    public bool TryGetI32Constant(out int value)
    {
        var reader = new WasmReader(Bytes.Span, FileOffset, "constant expression");
        value = 0;
        if (reader.ReadByte() != 0x41)
            return false;
        value = reader.ReadVarInt32();
        return !reader.AtEnd && reader.ReadByte() == 0x0B && reader.AtEnd;
    }

    /// <summary>The function index of an expression that is a single <c>ref.func</c>.</summary>
    public bool TryGetFunctionReference(out uint functionIndex)
    {
        var reader = new WasmReader(Bytes.Span, FileOffset, "constant expression");
        functionIndex = 0;
        if (reader.ReadByte() != 0xD2)
            return false;
        functionIndex = reader.ReadVarUInt32();
        return !reader.AtEnd && reader.ReadByte() == 0x0B && reader.AtEnd;
    }

    /// <summary>Reads an expression up to and including its <c>end</c>.</summary>
    public static ConstantExpression Read(ref WasmReader reader, ReadOnlyMemory<byte> source)
    {
        var start = reader.Position;
        ConstantExpressionScanner.SkipToEnd(ref reader);
        return new ConstantExpression(source[start..reader.Position], reader.BaseOffset + start);
    }
}
