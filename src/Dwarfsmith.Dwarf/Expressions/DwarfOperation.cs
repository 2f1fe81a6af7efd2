namespace Dwarfsmith.Dwarf.Expressions;

/// <summary>How an operation's operands are laid out.</summary>
public enum OperandLayout : byte
{
    None,
    Address,
    U8,
    S8,
    U16,
    S16,
    U32,
    S32,
    U64,
    S64,
    Uleb,
    Sleb,
    UlebSleb,
    UlebUleb,
    UlebBlock,
    RefAddrSleb,
    RefAddr,
    UlebU8Block,
    U8Uleb,
    WasmLocation,
    EncodedAddress,
}

/// <summary>
/// One decoded DWARF expression operation: its opcode, offset and length within the expression, up
/// to two numeric operands, an operand block (implicit_value data, entry_value's nested expression,
/// const_type's value) and the encoded widths of LEB operands, so that encoding reproduces the input.
/// </summary>
public readonly record struct DwarfOperation(DwOp Op, int Offset, int Length, ulong Operand1, ulong Operand2, ReadOnlyMemory<byte> Block)
{
    /// <summary>Encoded byte width of the first operand when it is a LEB (0 = minimal).</summary>
    public byte Width1 { get; init; }

    /// <summary>Encoded byte width of the second operand when it is a LEB (0 = minimal).</summary>
    public byte Width2 { get; init; }

    public OperandLayout Layout => DwarfExpression.LayoutOf(Op, Operand1);

    /// <summary>Operand1 as signed (fbreg, bregN, consts, skip/bra …).</summary>
    public long SignedOperand1 => (long)Operand1;

    public long SignedOperand2 => (long)Operand2;

    /// <summary>Target of DW_OP_skip/DW_OP_bra as a byte offset within the expression.</summary>
    public long BranchTarget => Offset + Length + (long)Operand1;

    public override string ToString() => DwarfExpression.Name(Op);
}
