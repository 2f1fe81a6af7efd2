namespace Dwarfsmith.Dwarf.Writing;

/// <summary>LEB128 sizes and padded encodings, shared by the section writer and the expression encoder.</summary>
internal static class Leb
{
    public static int UlebSize(ulong value)
    {
        int size = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            size++;
        }

        return size;
    }

    public static int SlebSize(long value)
    {
        int size = 1;
        while (value is >= 0x40 or < -0x40)
        {
            value >>= 7;
            size++;
        }

        return size;
    }

    /// <summary>Writes <paramref name="value"/> as a ULEB128 filling all of <paramref name="span"/>; false when it needs more bytes.</summary>
    public static bool TryWriteUleb(Span<byte> span, ulong value)
    {
        for (int i = 0; i < span.Length; i++)
        {
            byte b = (byte)(value & 0x7F);
            value >>= 7;
            span[i] = i < span.Length - 1 ? (byte)(b | 0x80) : b;
        }

        return value == 0;
    }

    /// <summary>Writes <paramref name="value"/> as an SLEB128 filling all of <paramref name="span"/> (at least <see cref="SlebSize"/> bytes).</summary>
    public static void WriteSleb(Span<byte> span, long value)
    {
        for (int i = 0; i < span.Length; i++)
        {
            byte b = (byte)(value & 0x7F);
            value >>= 7;
            span[i] = i < span.Length - 1 ? (byte)(b | 0x80) : b;
        }
    }
}
