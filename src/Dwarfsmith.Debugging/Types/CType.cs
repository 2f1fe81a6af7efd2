using Dwarfsmith.Dwarf;

namespace Dwarfsmith.Debugging.Types;

public enum CTypeKind
{
    Void,
    Base,
    Pointer,
    Struct,
    Union,
    Array,
    Enum,
    Function,
    Typedef,
    /// <summary>const, volatile, restrict or _Atomic of <see cref="CType.Target"/>.</summary>
    Qualified,
}

/// <summary>A member of a struct or union: byte offset, and bit position for a bit field.</summary>
public sealed record CMember(string? Name, CType Type, ulong Offset, int BitSize, int BitOffset);

/// <summary>
/// A C type as a debugger needs it, read from DWARF by <see cref="TypeReader"/>: kind, size, name
/// and what it is made of. Typedefs and qualifiers stay in the chain (for names) and
/// <see cref="Strip"/> sees through them (for values).
/// </summary>
public sealed class CType
{
    public CTypeKind Kind { get; init; }

    /// <summary>The entry's own name: "int", "node" (without "struct"), a typedef's name; null if anonymous.</summary>
    public string? Name { get; init; }

    public ulong ByteSize { get; set; }

    public DwAte Encoding { get; init; }

    /// <summary>Pointee, element, typedef or qualifier target, enum's underlying type, function's return type (null = void).</summary>
    public CType? Target { get; set; }

    /// <summary>"const", "volatile", "restrict" or "_Atomic" for <see cref="CTypeKind.Qualified"/>.</summary>
    public string? Qualifier { get; init; }

    public List<CMember> Members { get; } = [];

    /// <summary>Array dimensions, outermost first (0 when unknown, as for a flexible array member).</summary>
    public List<ulong> Dimensions { get; } = [];

    public List<(string Name, long Value)> Enumerators { get; } = [];

    public List<CType?> Parameters { get; } = [];

    public bool IsVariadic { get; set; }

    /// <summary>The type without typedefs and qualifiers.</summary>
    public CType Strip()
    {
        var type = this;
        for (int hops = 0; hops < 32 && type.Kind is CTypeKind.Typedef or CTypeKind.Qualified && type.Target is not null; hops++)
            type = type.Target;
        return type;
    }

    public bool IsSigned => Encoding is DwAte.DW_ATE_signed or DwAte.DW_ATE_signed_char;

    /// <summary>A one-byte character type: char, signed char, unsigned char.</summary>
    public bool IsCharacter => Kind == CTypeKind.Base && ByteSize == 1 && Encoding is DwAte.DW_ATE_signed_char or DwAte.DW_ATE_unsigned_char;

    public override string ToString() => TypeNames.Of(this);
}
