namespace Dwarfsmith.Dwarf.Writing;

/// <summary>How an entry reference inside an expression is encoded (the operand's placeholder bytes).</summary>
public enum ExpressionReferenceKind : byte
{
    /// <summary>Unit-relative offset as a ULEB128 padded to 4 bytes (DW_OP_convert, const_type, regval_type, deref_type).</summary>
    UnitOffsetUleb,

    /// <summary>Unit-relative offset in 2 bytes (DW_OP_call2).</summary>
    UnitOffset2,

    /// <summary>Unit-relative offset in 4 bytes (DW_OP_call4).</summary>
    UnitOffset4,

    /// <summary>A .debug_info offset of the unit's offset size, or address size in DWARF 2 (call_ref, implicit_pointer).</summary>
    SectionOffset,
}

/// <summary>
/// An operand of an expression that names an entry of the model. Entry offsets are only known once
/// the emitter has laid out the units, so the expression carries placeholder bytes at
/// <see cref="Position"/> (the width <see cref="ExpressionReference.Width"/> gives) that the emitter patches.
/// </summary>
public readonly record struct ExpressionReference(int Position, ExpressionReferenceKind Kind, EntryId Target)
{
    /// <summary>Placeholder bytes for a unit-relative ULEB128 operand: enough for units up to 256 MB.</summary>
    public const int UlebWidth = 4;

    /// <summary>The number of placeholder bytes, given the unit's section-offset size (for <see cref="ExpressionReferenceKind.SectionOffset"/>).</summary>
    public int Width(int sectionOffsetSize) => Kind switch
    {
        ExpressionReferenceKind.UnitOffsetUleb => UlebWidth,
        ExpressionReferenceKind.UnitOffset2 => 2,
        ExpressionReferenceKind.UnitOffset4 => 4,
        _ => sectionOffsetSize,
    };
}
