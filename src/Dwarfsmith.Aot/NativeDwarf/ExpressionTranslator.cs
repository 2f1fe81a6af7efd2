using Dwarfsmith.Dwarf;
using Dwarfsmith.Dwarf.Expressions;
using Dwarfsmith.Dwarf.Transform;

namespace Dwarfsmith.Aot.NativeDwarf;

/// <summary>
/// One wasm DWARF expression in native terms (see <see cref="WasmToNativeVisitor"/>):
/// <list type="bullet">
/// <item><c>DW_OP_WASM_location 0 i</c> (a local): where the C variable <c>l&lt;i&gt;</c> lives. As
/// the whole location (with or without <c>DW_OP_stack_value</c>), that location itself, so that
/// <c>set var</c> writes the variable; inside a computation, its value.</item>
/// <item><c>DW_OP_WASM_location 1|3 g</c> (a global): likewise with <c>wasm_global_&lt;g&gt;</c>, a
/// variable at a fixed address.</item>
/// <item><c>DW_OP_addr a</c> (linear memory): the host address <c>wasm_mem0_base + a</c>.</item>
/// <item><c>DW_OP_deref</c> of linear memory: the 4-byte wasm pointer there, made a host address
/// unless the value itself is wanted (<c>DW_OP_stack_value</c> follows).</item>
/// <item>a frame base (<c>DW_AT_frame_base</c>): the host address of the wasm frame pointer's value,
/// so that <c>DW_OP_fbreg</c> (kept as it is) lands in linear memory.</item>
/// </list>
/// </summary>
internal readonly struct ExpressionTranslator(NativeFunction? function, GeneratedCode generated, ulong memoryBase, bool frameBase)
{
    /// <summary>Writes the translation into <paramref name="output"/>; false when it cannot be translated.</summary>
    public bool Translate(List<DwarfOperation> operations, ExpressionBuilder output)
    {
        if (operations.Count == 0)
            return true;

        // A whole location that is one wasm variable: the C variable's own location.
        if (!frameBase && operations[0].Op == DwOp.DW_OP_WASM_location
            && (operations.Count == 1 || (operations.Count == 2 && operations[1].Op == DwOp.DW_OP_stack_value)))
        {
            return WriteLocation(operations[0], output);
        }

        bool wantsValue = operations[^1].Op == DwOp.DW_OP_stack_value;
        foreach (var operation in operations)
        {
            switch (operation.Op)
            {
                case DwOp.DW_OP_WASM_location:
                    if (!WriteValue(operation, output))
                        return false;
                    break;
                case DwOp.DW_OP_addr:
                    WriteHostAddress(operation.Operand1, output);
                    break;
                case DwOp.DW_OP_deref:
                    output.Write(DwOp.DW_OP_deref_size, 4);
                    if (!wantsValue)
                        AddMemoryBase(output);
                    break;
                case DwOp.DW_OP_stack_value when frameBase:
                    // The frame base is the address the value names in linear memory.
                    AddMemoryBase(output);
                    break;
                case DwOp.DW_OP_addrx or DwOp.DW_OP_GNU_addr_index or DwOp.DW_OP_constx or DwOp.DW_OP_GNU_const_index
                    or DwOp.DW_OP_call2 or DwOp.DW_OP_call4 or DwOp.DW_OP_call_ref or DwOp.DW_OP_GNU_entry_value or DwOp.DW_OP_entry_value:
                    // Indexed addresses and calls into other entries: not in wasm DWARF as clang writes it.
                    return false;
                default:
                    output.Write(operation);
                    break;
            }
        }

        if (frameBase && operations[^1].Op != DwOp.DW_OP_stack_value)
            return false;
        return true;
    }

    /// <summary>The location of the C variable behind a wasm local or global.</summary>
    private bool WriteLocation(in DwarfOperation operation, ExpressionBuilder output)
    {
        switch (operation.Operand1)
        {
            case 0 when function is not null && function.Variables.TryGetValue(CNames.Local((uint)operation.Operand2), out var local) && local.Expression is { } expression:
                output.Bytes(expression);
                return true;
            case 1 or 3 when generated.GlobalAddresses.TryGetValue((uint)operation.Operand2, out var address):
                output.Address(address);
                return true;
            default:
                return false;
        }
    }

    /// <summary>The value of a wasm local or global, pushed on the DWARF stack.</summary>
    private bool WriteValue(in DwarfOperation operation, ExpressionBuilder output)
    {
        int size;
        switch (operation.Operand1)
        {
            case 0 when function is not null && function.Variables.TryGetValue(CNames.Local((uint)operation.Operand2), out var local) && local.Expression is { } expression:
                if (IsRegister(expression, out ulong register))
                {
                    output.Write(DwOp.DW_OP_bregx, register, 0);
                    if (local.ByteSize == 4)
                        output.Write(DwOp.DW_OP_constu, 0xFFFFFFFF).Op(DwOp.DW_OP_and);
                    return true;
                }

                if (EndsWithStackValue(expression))
                {
                    output.Bytes(expression.AsSpan(0, expression.Length - 1));
                    return true;
                }

                output.Bytes(expression);
                size = local.ByteSize;
                break;
            case 1 or 3 when generated.GlobalAddresses.TryGetValue((uint)operation.Operand2, out var address):
                output.Address(address);
                size = 4; // wasm32's globals that DWARF names (__stack_pointer) are i32
                break;
            default:
                return false;
        }

        output.Write(DwOp.DW_OP_deref_size, (ulong)size);
        return true;
    }

    private void WriteHostAddress(ulong wasmAddress, ExpressionBuilder output)
    {
        output.Write(DwOp.DW_OP_constu, wasmAddress);
        AddMemoryBase(output);
    }

    /// <summary>Adds the linear memory's host base to the wasm address on top of the stack.</summary>
    private void AddMemoryBase(ExpressionBuilder output)
    {
        output.Address(memoryBase);
        output.Op(DwOp.DW_OP_deref);
        output.Op(DwOp.DW_OP_plus);
    }

    private static bool IsRegister(byte[] expression, out ulong register)
    {
        register = 0;
        if (expression.Length == 1 && expression[0] >= (byte)DwOp.DW_OP_reg0 && expression[0] <= (byte)DwOp.DW_OP_reg31)
        {
            register = (ulong)(expression[0] - (byte)DwOp.DW_OP_reg0);
            return true;
        }

        if (expression.Length > 1 && expression[0] == (byte)DwOp.DW_OP_regx)
        {
            int shift = 0;
            for (int i = 1; i < expression.Length; i++, shift += 7)
            {
                register |= (ulong)(expression[i] & 0x7F) << shift;
                if ((expression[i] & 0x80) == 0)
                    return i == expression.Length - 1;
            }
        }

        return false;
    }

    private static bool EndsWithStackValue(byte[] expression) =>
        expression.Length > 0 && expression[^1] == (byte)DwOp.DW_OP_stack_value;
}
