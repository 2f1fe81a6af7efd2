using Dwarfsmith.Dwarf;
using Dwarfsmith.Dwarf.Expressions;
using Dwarfsmith.Dwarf.Reading;

namespace Dwarfsmith.Aot.NativeDwarf;

/// <summary>
/// Where a C variable of the translated code is over some native code, as one native expression
/// that can be placed inside a translated one: <c>DW_OP_fbreg</c> already made independent of the
/// native function's frame base, and nothing in it that names the native unit's entries.
/// </summary>
/// <param name="Expression">The native expression's bytes.</param>
/// <param name="Register">When the expression is one register location (<c>DW_OP_regN</c>, <c>DW_OP_regx</c>): its number.</param>
/// <param name="IsValue">The expression ends with <c>DW_OP_stack_value</c> (the value, not where it is).</param>
public sealed record NativePlace(byte[] Expression, ulong? Register, bool IsValue)
{
    /// <summary>
    /// The place an expression of the native DWARF describes, or null when it cannot be placed in a
    /// translated expression: pieces (a variable split over places), entry values (the generated C's
    /// call sites are not in the output), typed operations (their operands name native entries),
    /// implicit pointers, and anything else but plain computation on registers and memory. Such a
    /// variable is then shown as optimized out there, never wrong.
    /// </summary>
    internal static NativePlace? Read(ReadOnlyMemory<byte> expression, byte[]? frameBase, Unit unit)
    {
        var operations = DwarfExpression.DecodeAll(expression, unit.Encoding, unit.Section.Name);
        if (operations.Count == 0 || !operations.TrueForAll(o => IsPlain(o.Op)))
            return null;
        ulong? register = operations switch
        {
            [{ Op: >= DwOp.DW_OP_reg0 and <= DwOp.DW_OP_reg31 } only] => (ulong)(only.Op - DwOp.DW_OP_reg0),
            [{ Op: DwOp.DW_OP_regx } only] => only.Operand1,
            _ => null,
        };
        if (register is null && operations.Exists(o => o.Op is (>= DwOp.DW_OP_reg0 and <= DwOp.DW_OP_reg31) or DwOp.DW_OP_regx))
            return null; // a register location inside a longer expression is a piece or malformed
        if (frameBase is null && operations.Exists(o => o.Op == DwOp.DW_OP_fbreg))
            return null; // relative to a frame base that is no single expression
        bool isValue = operations[^1].Op == DwOp.DW_OP_stack_value;
        return new NativePlace(GeneratedCode.WithoutFrameBase(expression, frameBase, unit), register, isValue);
    }

    /// <summary>Operations that compute on registers, memory and constants only.</summary>
    private static bool IsPlain(DwOp op) => op is
        (>= DwOp.DW_OP_reg0 and <= DwOp.DW_OP_reg31) or DwOp.DW_OP_regx
        or (>= DwOp.DW_OP_breg0 and <= DwOp.DW_OP_breg31) or DwOp.DW_OP_bregx or DwOp.DW_OP_fbreg
        or (>= DwOp.DW_OP_lit0 and <= DwOp.DW_OP_lit31)
        or DwOp.DW_OP_const1u or DwOp.DW_OP_const1s or DwOp.DW_OP_const2u or DwOp.DW_OP_const2s
        or DwOp.DW_OP_const4u or DwOp.DW_OP_const4s or DwOp.DW_OP_const8u or DwOp.DW_OP_const8s
        or DwOp.DW_OP_constu or DwOp.DW_OP_consts
        or DwOp.DW_OP_dup or DwOp.DW_OP_drop or DwOp.DW_OP_over or DwOp.DW_OP_swap or DwOp.DW_OP_rot
        or DwOp.DW_OP_deref or DwOp.DW_OP_deref_size
        or DwOp.DW_OP_abs or DwOp.DW_OP_and or DwOp.DW_OP_div or DwOp.DW_OP_minus or DwOp.DW_OP_mod or DwOp.DW_OP_mul
        or DwOp.DW_OP_neg or DwOp.DW_OP_not or DwOp.DW_OP_or or DwOp.DW_OP_plus or DwOp.DW_OP_plus_uconst
        or DwOp.DW_OP_shl or DwOp.DW_OP_shr or DwOp.DW_OP_shra or DwOp.DW_OP_xor
        or DwOp.DW_OP_stack_value or DwOp.DW_OP_nop;
}
