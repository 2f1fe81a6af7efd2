using Dwarfsmith.Dwarf;
using Dwarfsmith.Dwarf.Expressions;
using Dwarfsmith.Dwarf.Reading;
using Dwarfsmith.Dwarf.Transform;

namespace Dwarfsmith.Aot.NativeDwarf;

/// <summary>
/// One wasm DWARF expression in native terms (see <see cref="WasmToNativeVisitor"/>). The
/// expression computes in wasm's address space as before, and becomes a host address only where
/// memory is read or where it ends as a memory location:
/// <list type="bullet">
/// <item><c>DW_OP_WASM_location 0 i; DW_OP_stack_value</c> as the whole location (a variable in a
/// local): the location of the C variable <c>l&lt;i&gt;</c> itself, so that <c>set var</c> writes it;
/// elsewhere <c>DW_OP_WASM_location 0 i</c> pushes that variable's value. Globals (kinds 1 and 3)
/// likewise with <c>wasm_global_&lt;g&gt;</c>.</item>
/// <item><c>DW_OP_addr a</c>: the wasm address a (<c>DW_OP_constu</c>), or optimized out when a is
/// the tombstone of data the linker removed.</item>
/// <item><c>DW_OP_deref</c>, <c>DW_OP_deref_size</c>: a read of linear memory at
/// <c>wasm_mem0_base + address</c>, 4 bytes for <c>DW_OP_deref</c> (wasm32's address size).</item>
/// <item>a memory location (the result without <c>DW_OP_stack_value</c>, at the end or before a
/// <c>DW_OP_piece</c>): the host address <c>wasm_mem0_base + address</c>.</item>
/// <item>a frame base (<c>DW_AT_frame_base</c>, written where the frame pointer's C variable stays in
/// one place, as at -O0): the host address of the wasm frame (<c>wasm_mem0_base</c> + the frame
/// pointer's value), so that <c>DW_OP_fbreg N</c> alone locates a variable in the frame, as it does
/// natively. A local's location then holds no <c>DW_OP_addr</c>: lldb takes any location with one
/// for a static variable and leaves it out of <c>frame variable</c>'s locals. What follows
/// <c>DW_OP_fbreg</c> computes on that host address while it only offsets or reads it; anything
/// else gets the wasm address back first (the memory base subtracted).</item>
/// <item><c>DW_OP_fbreg N</c> where the frame pointer moves over the function's code (-O2, one
/// translation per <see cref="LocationPiece"/>, <paramref name="frameBaseInPlace"/>): the frame
/// base's wasm address computed in place from <paramref name="frameBaseOperations"/>, plus N; the
/// location then needs no <c>DW_AT_frame_base</c>, which could not say where the frame is everywhere.</item>
/// </list>
/// Locals are read where <paramref name="locals"/> says their C variables are over the native code
/// the translation is for (one <see cref="LocationPiece"/>).
/// </summary>
internal readonly struct ExpressionTranslator(
    Unit unit, IReadOnlyDictionary<uint, BoundLocal> locals, IReadOnlyList<DwarfOperation>? frameBaseOperations, GeneratedCode generated, ulong memoryBase, bool frameBase,
    bool frameBaseInPlace = false)
{
    /// <summary>The wasm locals an expression reads, its frame base's included when it uses <c>DW_OP_fbreg</c>.</summary>
    public static void LocalsRead(IReadOnlyList<DwarfOperation> operations, IReadOnlyList<DwarfOperation>? frameBaseOperations, HashSet<uint> output)
    {
        foreach (var operation in operations)
        {
            if (operation.Op == DwOp.DW_OP_WASM_location && operation.Operand1 == 0)
                output.Add((uint)operation.Operand2);
            else if (operation.Op == DwOp.DW_OP_fbreg && frameBaseOperations is not null)
            {
                foreach (var inBase in frameBaseOperations)
                {
                    if (inBase.Op == DwOp.DW_OP_WASM_location && inBase.Operand1 == 0)
                        output.Add((uint)inBase.Operand2);
                }
            }
        }
    }

    /// <summary>Writes the translation into <paramref name="output"/>; false when it cannot be translated.</summary>
    public bool Translate(IReadOnlyList<DwarfOperation> operations, ExpressionBuilder output)
    {
        if (operations.Count == 0)
            return true;

        // A whole location that is one wasm variable's value: the C variable's own location.
        if (!frameBase && operations is [{ Op: DwOp.DW_OP_WASM_location } variable, { Op: DwOp.DW_OP_stack_value }])
            return WriteLocation(variable, output);

        // Whether the value being computed is a value (stack_value or a register ends its piece),
        // rather than an address in linear memory.
        bool isValue = false;
        // Whether the top of the stack is a host address (from DW_OP_fbreg) rather than a wasm one.
        bool isHost = false;
        for (int i = 0; i < operations.Count; i++)
        {
            var operation = operations[i];
            if (isHost)
            {
                switch (operation.Op)
                {
                    case DwOp.DW_OP_plus_uconst:
                        output.Write(operation);
                        continue;
                    case DwOp.DW_OP_deref:
                        output.Write(DwOp.DW_OP_deref_size, 4);
                        isHost = false;
                        continue;
                    case DwOp.DW_OP_deref_size:
                        output.Write(operation);
                        isHost = false;
                        continue;
                    case DwOp.DW_OP_piece or DwOp.DW_OP_bit_piece:
                        output.Write(operation);
                        isHost = false;
                        continue;
                    default:
                        SubtractMemoryBase(output);
                        isHost = false;
                        break;
                }
            }

            switch (operation.Op)
            {
                case DwOp.DW_OP_WASM_location:
                    if (!WriteValue(operation, output))
                        return false;
                    break;
                case DwOp.DW_OP_fbreg when !frameBase && !frameBaseInPlace:
                    output.Write(operation);
                    isHost = true;
                    break;
                case DwOp.DW_OP_fbreg:
                    // The frame base's value (a wasm address), then the offset.
                    if (frameBase || frameBaseOperations is null
                        || !new ExpressionTranslator(unit, locals, null, generated, memoryBase, frameBase: true, frameBaseInPlace: true).Translate(frameBaseOperations, output))
                    {
                        return false;
                    }

                    output.Write(DwOp.DW_OP_consts, operation.Operand1).Op(DwOp.DW_OP_plus);
                    break;
                case DwOp.DW_OP_addr or DwOp.DW_OP_addrx or DwOp.DW_OP_GNU_addr_index:
                    // A tombstone: data the linker removed (a constant it folded away), which the
                    // program no longer has anywhere.
                    ulong address = operation.Op == DwOp.DW_OP_addr ? operation.Operand1 : unit.AddressAt(operation.Operand1);
                    if (unit.IsTombstone(address))
                        return false;
                    output.Write(DwOp.DW_OP_constu, address);
                    break;
                case DwOp.DW_OP_deref:
                    AddMemoryBase(output);
                    output.Write(DwOp.DW_OP_deref_size, 4);
                    break;
                case DwOp.DW_OP_deref_size:
                    AddMemoryBase(output);
                    output.Write(operation);
                    break;
                case DwOp.DW_OP_stack_value:
                    isValue = true;
                    if (!frameBase)
                        output.Write(operation);
                    break;
                case DwOp.DW_OP_piece or DwOp.DW_OP_bit_piece:
                    if (!isValue)
                        AddMemoryBase(output);
                    isValue = false;
                    output.Write(operation);
                    break;
                case DwOp.DW_OP_constx or DwOp.DW_OP_GNU_const_index or DwOp.DW_OP_xderef or DwOp.DW_OP_xderef_size
                    or DwOp.DW_OP_deref_type or DwOp.DW_OP_GNU_deref_type or DwOp.DW_OP_push_object_address
                    or DwOp.DW_OP_call2 or DwOp.DW_OP_call4 or DwOp.DW_OP_call_ref or DwOp.DW_OP_GNU_entry_value or DwOp.DW_OP_entry_value
                    or DwOp.DW_OP_implicit_pointer or DwOp.DW_OP_GNU_implicit_pointer:
                    // Reads and references that wasm DWARF as clang writes it does not use here.
                    return false;
                default:
                    output.Write(operation);
                    break;
            }
        }

        // A frame base computed in place is the wasm address itself; DW_AT_frame_base is the frame's
        // host address; any other memory location is in linear memory (unless already a host address).
        if (frameBase ? !frameBaseInPlace : !isValue && !isHost && operations[^1].Op is not (DwOp.DW_OP_piece or DwOp.DW_OP_bit_piece))
            AddMemoryBase(output);
        return true;
    }

    /// <summary>The location of the C variable behind a wasm local or global.</summary>
    private bool WriteLocation(in DwarfOperation operation, ExpressionBuilder output)
    {
        switch (operation.Operand1)
        {
            case 0 when locals.TryGetValue((uint)operation.Operand2, out var local):
                output.Bytes(local.Place.Expression);
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
            case 0 when locals.TryGetValue((uint)operation.Operand2, out var local):
                var place = local.Place;
                if (place.Register is { } register)
                {
                    output.Write(DwOp.DW_OP_bregx, register, 0);
                    if (local.ByteSize == 4)
                        output.Write(DwOp.DW_OP_constu, 0xFFFFFFFF).Op(DwOp.DW_OP_and);
                    return true;
                }

                if (place.IsValue)
                {
                    output.Bytes(place.Expression.AsSpan(0, place.Expression.Length - 1));
                    return true;
                }

                output.Bytes(place.Expression);
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

    /// <summary>Turns the host address on top of the stack back into a wasm address.</summary>
    private void SubtractMemoryBase(ExpressionBuilder output)
    {
        output.Address(memoryBase);
        output.Op(DwOp.DW_OP_deref);
        output.Op(DwOp.DW_OP_minus);
    }

    /// <summary>Adds the linear memory's host base to the wasm address on top of the stack.</summary>
    private void AddMemoryBase(ExpressionBuilder output)
    {
        output.Address(memoryBase);
        output.Op(DwOp.DW_OP_deref);
        output.Op(DwOp.DW_OP_plus);
    }
}
