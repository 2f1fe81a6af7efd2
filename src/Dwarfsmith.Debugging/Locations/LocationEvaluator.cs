using System.Buffers.Binary;
using Dwarfsmith.Dwarf;
using Dwarfsmith.Dwarf.Expressions;
using Dwarfsmith.Dwarf.Reading;
using Dwarfsmith.Wasm.CoreDumps;

namespace Dwarfsmith.Debugging.Locations;

/// <summary>
/// Evaluates DWARF location expressions against a <see cref="FrameState"/>: the DWARF stack machine
/// with wasm's operations. <c>DW_OP_WASM_location</c> reads a local (0), a global (1, and 3 with a
/// fixed index) or an operand stack value (2, counted from the bottom of the frame's stack, as
/// LLVM's WebAssemblyDebugFixup numbers them); followed by nothing it is a register location, the
/// value itself. <c>DW_OP_addr</c> and memory locations are linear-memory addresses. Whatever cannot
/// be evaluated from a dump is a location <see cref="Location.Unavailable"/> with the reason, never
/// a guess.
/// </summary>
public static class LocationEvaluator
{
    private const int MaxSteps = 10_000;

    /// <summary>An attribute's location at the frame's pc: an expression, or the entry of a location list that covers the pc.</summary>
    public static Location EvaluateAttribute(Unit unit, in AttributeValue attribute, FrameState frame)
    {
        ArgumentNullException.ThrowIfNull(unit);
        ArgumentNullException.ThrowIfNull(frame);
        if (unit.IsLocationList(attribute))
        {
            var cursor = unit.ReadLocationList(attribute);
            ReadOnlyMemory<byte>? fallback = null;
            while (cursor.MoveNext())
            {
                var entry = cursor.Current;
                if (entry.IsDefault)
                    fallback = entry.Expression;
                else if (entry.HasRange && !entry.IsTombstone && frame.Pc >= entry.Begin && frame.Pc < entry.End)
                    return Evaluate(unit, entry.Expression, frame);
            }

            return fallback is { } expression
                ? Evaluate(unit, expression, frame)
                : Location.Unavailable($"optimized out: no location at this pc (0x{frame.Pc:x})");
        }

        if (attribute.IsBlock)
            return Evaluate(unit, attribute.Memory, frame);
        return Location.Unavailable($"unsupported location form {attribute.Form}");
    }

    public static Location Evaluate(Unit unit, ReadOnlyMemory<byte> expression, FrameState frame)
    {
        ArgumentNullException.ThrowIfNull(unit);
        ArgumentNullException.ThrowIfNull(frame);
        if (expression.IsEmpty)
            return Location.Unavailable("optimized out (empty location)");
        try
        {
            return new Machine(unit, frame).Run(DwarfExpression.DecodeAll(expression, unit.Encoding));
        }
        catch (DwarfFormatException ex)
        {
            return Location.Unavailable($"malformed location expression: {ex.Message}");
        }
        catch (UnavailableException ex)
        {
            return Location.Unavailable(ex.Message);
        }
    }

    /// <summary>
    /// A data address wasm-ld wrote for an object it removed: -1 or -2 of the address size (0 is a
    /// real linear-memory address, unlike in code).
    /// </summary>
    public static bool IsRemoved(ulong address, int addressSize) =>
        address >= Tombstones.MaxAddress(addressSize) - 1;

    private sealed class UnavailableException(string reason) : Exception(reason);

    private sealed class Machine(Unit unit, FrameState frame)
    {
        private readonly List<ulong> _stack = [];
        private readonly List<LocationPiece> _pieces = [];

        // What the operations since the last piece describe, beyond the stack's top.
        private byte[]? _register;
        private byte[]? _implicit;
        private bool _stackValue;

        public Location Run(List<DwarfOperation> ops)
        {
            int steps = 0;
            for (int i = 0; i < ops.Count; i++)
            {
                if (++steps > MaxSteps)
                    throw new UnavailableException("the location expression does not terminate");
                var op = ops[i];
                if (_register is not null && op.Op is not DwOp.DW_OP_piece and not DwOp.DW_OP_bit_piece and not DwOp.DW_OP_stack_value)
                {
                    // A wasm location followed by arithmetic is a value on the stack, as DW_OP_bregN is.
                    Push(Value(_register));
                    _register = null;
                }

                switch (op.Op)
                {
                    case DwOp.DW_OP_piece:
                        EndPiece(op.Operand1);
                        break;
                    case DwOp.DW_OP_bit_piece:
                        if (op.Operand1 % 8 != 0 || op.Operand2 != 0)
                            throw new UnavailableException("a DW_OP_bit_piece that is not whole bytes");
                        EndPiece(op.Operand1 / 8);
                        break;
                    case DwOp.DW_OP_skip:
                        i = Jump(ops, op) - 1;
                        break;
                    case DwOp.DW_OP_bra:
                        if (Pop() != 0)
                            i = Jump(ops, op) - 1;
                        break;
                    default:
                        Step(op);
                        break;
                }
            }

            if (_pieces.Count > 0)
            {
                if (_stack.Count > 0 || _register is not null || _implicit is not null)
                    throw new UnavailableException("operations after the last DW_OP_piece");
                return Location.OfPieces(_pieces);
            }

            return Finish();
        }

        private static int Jump(List<DwarfOperation> ops, DwarfOperation op)
        {
            var target = op.BranchTarget;
            var index = ops.FindIndex(o => o.Offset == target);
            if (index < 0)
                throw new UnavailableException($"a branch to offset {target}, which is not an operation");
            return index;
        }

        private void EndPiece(ulong size)
        {
            if (_stack.Count == 0 && _register is null && _implicit is null)
            {
                _pieces.Add(new LocationPiece(LocationKind.Unavailable, 0, [], size, "optimized out (a piece without a location)"));
                return;
            }

            var piece = Finish().Pieces[0];
            _pieces.Add(piece with { Size = size });
        }

        private Location Finish()
        {
            Location location;
            if (_register is not null)
                location = Location.OfValue(_register);
            else if (_implicit is not null)
                location = Location.OfValue(_implicit);
            else if (_stackValue)
                location = Location.OfValue(Bytes(Pop()));
            else
                location = Location.InMemory(Pop());
            _register = _implicit = null;
            _stackValue = false;
            _stack.Clear();
            return location;
        }

        private void Step(DwarfOperation op)
        {
            var code = op.Op;
            if (code is >= DwOp.DW_OP_lit0 and <= DwOp.DW_OP_lit31)
            {
                Push((ulong)(code - DwOp.DW_OP_lit0));
                return;
            }

            if (code is >= DwOp.DW_OP_reg0 and <= DwOp.DW_OP_regx or >= DwOp.DW_OP_breg0 and <= DwOp.DW_OP_breg31 or DwOp.DW_OP_bregx)
                throw new UnavailableException($"{DwarfExpression.Name(code)} names a native register, which a wasm frame does not have");
            switch (code)
            {
                case DwOp.DW_OP_addr when IsRemoved(op.Operand1, unit.AddressSize):
                    throw new UnavailableException("not in the program: the linker removed it (its address is a tombstone)");
                case DwOp.DW_OP_addr or DwOp.DW_OP_const1u or DwOp.DW_OP_const2u or DwOp.DW_OP_const4u or DwOp.DW_OP_const8u or DwOp.DW_OP_constu:
                    Push(op.Operand1);
                    break;
                case DwOp.DW_OP_const1s or DwOp.DW_OP_const2s or DwOp.DW_OP_const4s or DwOp.DW_OP_const8s or DwOp.DW_OP_consts:
                    Push(op.Operand1);
                    break;
                case DwOp.DW_OP_addrx or DwOp.DW_OP_constx or DwOp.DW_OP_GNU_addr_index or DwOp.DW_OP_GNU_const_index:
                    Push(unit.AddressAt(op.Operand1));
                    break;
                case DwOp.DW_OP_dup: Push(Peek(0)); break;
                case DwOp.DW_OP_drop: Pop(); break;
                case DwOp.DW_OP_over: Push(Peek(1)); break;
                case DwOp.DW_OP_pick: Push(Peek((int)Math.Min(op.Operand1, int.MaxValue))); break;
                case DwOp.DW_OP_swap:
                {
                    var a = Pop();
                    var b = Pop();
                    Push(a);
                    Push(b);
                    break;
                }

                case DwOp.DW_OP_rot:
                {
                    var a = Pop();
                    var b = Pop();
                    var c = Pop();
                    Push(a);
                    Push(c);
                    Push(b);
                    break;
                }

                case DwOp.DW_OP_deref: Push(Read(Pop(), unit.AddressSize)); break;
                case DwOp.DW_OP_deref_size: Push(Read(Pop(), (int)op.Operand1)); break;
                case DwOp.DW_OP_abs: Push((ulong)Math.Abs((long)Pop())); break;
                case DwOp.DW_OP_neg: Push((ulong)-(long)Pop()); break;
                case DwOp.DW_OP_not: Push(~Pop()); break;
                case DwOp.DW_OP_plus_uconst: Push(Pop() + op.Operand1); break;
                case DwOp.DW_OP_and or DwOp.DW_OP_div or DwOp.DW_OP_minus or DwOp.DW_OP_mod or DwOp.DW_OP_mul or DwOp.DW_OP_or
                    or DwOp.DW_OP_plus or DwOp.DW_OP_shl or DwOp.DW_OP_shr or DwOp.DW_OP_shra or DwOp.DW_OP_xor
                    or DwOp.DW_OP_eq or DwOp.DW_OP_ge or DwOp.DW_OP_gt or DwOp.DW_OP_le or DwOp.DW_OP_lt or DwOp.DW_OP_ne:
                {
                    var b = Pop();
                    var a = Pop();
                    Push(Binary(code, a, b));
                    break;
                }

                case DwOp.DW_OP_nop:
                    break;
                case DwOp.DW_OP_fbreg:
                {
                    var frameBase = frame.FrameBase;
                    if (frameBase.UnavailableReason is { } reason)
                        throw new UnavailableException($"frame base unknown: {reason}");
                    Push(BaseValue(frameBase) + op.Operand1);
                    break;
                }

                case DwOp.DW_OP_WASM_location:
                    _register = Bytes(WasmValue(op));
                    break;
                case DwOp.DW_OP_stack_value:
                    if (_register is not null)
                        return; // the wasm location's value already is the value
                    _stackValue = true;
                    break;
                case DwOp.DW_OP_implicit_value:
                    _implicit = op.Block.ToArray();
                    break;
                case DwOp.DW_OP_GNU_push_tls_address or DwOp.DW_OP_form_tls_address:
                {
                    // The operand is the variable's offset from __tls_base; a single-threaded module
                    // has no such global, and wasm-ld resolved the offset to the variable's address.
                    var offset = Pop();
                    if (frame.TlsBaseGlobal is not { } global)
                    {
                        Push(offset);
                        break;
                    }

                    var tlsBase = frame.Global(global, out var reason) ?? throw new UnavailableException($"thread-local storage: {reason}");
                    Push(tlsBase.Bits + offset);
                    break;
                }

                case DwOp.DW_OP_entry_value or DwOp.DW_OP_GNU_entry_value:
                    throw new UnavailableException("needs the value on entry to the function (DW_OP_entry_value), which the dump does not hold");
                case DwOp.DW_OP_call_frame_cfa:
                    throw new UnavailableException("needs the call frame address (DW_OP_call_frame_cfa), which a wasm frame does not have");
                case DwOp.DW_OP_implicit_pointer or DwOp.DW_OP_GNU_implicit_pointer:
                    throw new UnavailableException("a pointer to an optimized-out object (DW_OP_implicit_pointer)");
                default:
                    throw new UnavailableException($"{DwarfExpression.Name(code)} is not supported");
            }
        }

        /// <summary>The frame base's value: a memory location's address, or a value's bytes as a number.</summary>
        private static ulong BaseValue(Location location)
        {
            var piece = location.Pieces[0];
            return piece.Kind == LocationKind.Memory ? piece.Address : Value(piece.Value);
        }

        private ulong WasmValue(DwarfOperation op)
        {
            var index = (uint)Math.Min(op.Operand2, uint.MaxValue);
            string? reason;
            CoreValue? value = op.Operand1 switch
            {
                0 => frame.Local(index, out reason),
                1 or 3 => frame.Global(index, out reason),
                2 => frame.StackValue(index, out reason),
                _ => throw new UnavailableException($"unknown DW_OP_WASM_location kind {op.Operand1}"),
            };
            return value is { } v ? v.Bits : throw new UnavailableException(reason!);
        }

        private static ulong Binary(DwOp code, ulong a, ulong b) => code switch
        {
            DwOp.DW_OP_and => a & b,
            DwOp.DW_OP_or => a | b,
            DwOp.DW_OP_xor => a ^ b,
            DwOp.DW_OP_plus => a + b,
            DwOp.DW_OP_minus => a - b,
            DwOp.DW_OP_mul => a * b,
            DwOp.DW_OP_div => b == 0 ? throw new UnavailableException("division by zero in the location expression") : (ulong)((long)a / (long)b),
            DwOp.DW_OP_mod => b == 0 ? throw new UnavailableException("division by zero in the location expression") : a % b,
            DwOp.DW_OP_shl => b >= 64 ? 0 : a << (int)b,
            DwOp.DW_OP_shr => b >= 64 ? 0 : a >> (int)b,
            DwOp.DW_OP_shra => (ulong)((long)a >> (int)Math.Min(b, 63)),
            DwOp.DW_OP_eq => a == b ? 1UL : 0,
            DwOp.DW_OP_ne => a != b ? 1UL : 0,
            DwOp.DW_OP_lt => (long)a < (long)b ? 1UL : 0,
            DwOp.DW_OP_le => (long)a <= (long)b ? 1UL : 0,
            DwOp.DW_OP_gt => (long)a > (long)b ? 1UL : 0,
            _ => (long)a >= (long)b ? 1UL : 0,
        };

        private ulong Read(ulong address, int size)
        {
            if (size is < 1 or > 8)
                throw new UnavailableException($"a dereference of {size} bytes");
            var memory = frame.Memory ?? throw new UnavailableException("the dump holds no memory");
            Span<byte> bytes = stackalloc byte[8];
            bytes.Clear();
            if (!memory.TryRead(address & 0xFFFFFFFF, bytes[..size]))
                throw new UnavailableException($"cannot access memory at 0x{address & 0xFFFFFFFF:x}");
            return BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        }

        private void Push(ulong value) => _stack.Add(value);

        private ulong Pop()
        {
            if (_stack.Count == 0)
                throw new UnavailableException("the location expression pops an empty stack");
            var value = _stack[^1];
            _stack.RemoveAt(_stack.Count - 1);
            return value;
        }

        private ulong Peek(int depth) =>
            depth < _stack.Count ? _stack[_stack.Count - 1 - depth] : throw new UnavailableException("the location expression reads below its stack");

        private static byte[] Bytes(ulong value)
        {
            var bytes = new byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(bytes, value);
            return bytes;
        }

        private static ulong Value(byte[] bytes)
        {
            Span<byte> buffer = stackalloc byte[8];
            buffer.Clear();
            bytes.AsSpan(0, Math.Min(8, bytes.Length)).CopyTo(buffer);
            return BinaryPrimitives.ReadUInt64LittleEndian(buffer);
        }
    }
}
