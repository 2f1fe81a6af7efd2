namespace Dwarfsmith.Wasm.CoreDumps;

/// <summary>The value tag of a core dump's locals, operand stack entries and globals.</summary>
public enum CoreValueKind : byte
{
    /// <summary>0x01: the producer did not know the value.</summary>
    Missing = 0x01,
    I32 = 0x7F,
    I64 = 0x7E,
    F32 = 0x7D,
    F64 = 0x7C,
}

/// <summary>
/// One value of a frame or a global. Floats are kept as their bits, so that a NaN's payload and a
/// negative zero survive a read and a write unchanged.
/// </summary>
public readonly record struct CoreValue(CoreValueKind Kind, ulong Bits)
{
    public static CoreValue Missing => new(CoreValueKind.Missing, 0);

    public static CoreValue I32(int value) => new(CoreValueKind.I32, (uint)value);

    public static CoreValue I64(long value) => new(CoreValueKind.I64, (ulong)value);

    public static CoreValue F32Bits(uint bits) => new(CoreValueKind.F32, bits);

    public static CoreValue F64Bits(ulong bits) => new(CoreValueKind.F64, bits);

    public static CoreValue F32(float value) => F32Bits((uint)BitConverter.SingleToInt32Bits(value));

    public static CoreValue F64(double value) => F64Bits((ulong)BitConverter.DoubleToInt64Bits(value));

    public bool IsMissing => Kind == CoreValueKind.Missing;

    /// <summary>Size in bytes of the value in linear memory or a wasm local (0 when missing).</summary>
    public int Size => Kind switch
    {
        CoreValueKind.I32 or CoreValueKind.F32 => 4,
        CoreValueKind.I64 or CoreValueKind.F64 => 8,
        _ => 0,
    };

    public int AsInt32 => (int)(uint)Bits;

    public long AsInt64 => (long)Bits;

    public override string ToString() => Kind switch
    {
        CoreValueKind.I32 => $"i32:{AsInt32}",
        CoreValueKind.I64 => $"i64:{AsInt64}",
        CoreValueKind.F32 => $"f32:0x{Bits:X8}",
        CoreValueKind.F64 => $"f64:0x{Bits:X16}",
        _ => "missing",
    };
}
