namespace Dwarfsmith.Wasm;

/// <summary>Value types by their binary encoding. Unknown encodings are rejected when read.</summary>
public enum ValueType : byte
{
    I32 = 0x7F,
    I64 = 0x7E,
    F32 = 0x7D,
    F64 = 0x7C,
    V128 = 0x7B,
    FuncRef = 0x70,
    ExternRef = 0x6F,
    /// <summary>Exception reference (exception-handling proposal).</summary>
    ExnRef = 0x69,
}

public static class ValueTypes
{
    public static bool IsKnown(byte encoding) => encoding is 0x7F or 0x7E or 0x7D or 0x7C or 0x7B or 0x70 or 0x6F or 0x69;

    public static bool IsReference(this ValueType type) => type is ValueType.FuncRef or ValueType.ExternRef or ValueType.ExnRef;

    public static bool IsNumeric(this ValueType type) => type is ValueType.I32 or ValueType.I64 or ValueType.F32 or ValueType.F64;

    public static string Name(this ValueType type) => type switch
    {
        ValueType.I32 => "i32",
        ValueType.I64 => "i64",
        ValueType.F32 => "f32",
        ValueType.F64 => "f64",
        ValueType.V128 => "v128",
        ValueType.FuncRef => "funcref",
        ValueType.ExternRef => "externref",
        ValueType.ExnRef => "exnref",
        _ => $"type(0x{(byte)type:X2})",
    };

    public static ValueType ReadValueType(ref WasmReader reader)
    {
        var start = reader.Position;
        var b = reader.ReadByte();
        if (!IsKnown(b))
            throw reader.ErrorAt(start, $"malformed value type 0x{b:X2}");
        return (ValueType)b;
    }

    public static ValueType ReadReferenceType(ref WasmReader reader)
    {
        var start = reader.Position;
        var b = reader.ReadByte();
        if (b is not (0x70 or 0x6F or 0x69))
            throw reader.ErrorAt(start, $"malformed reference type 0x{b:X2}");
        return (ValueType)b;
    }
}
