using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Dwarfsmith.Dwarf.Reading;
using Dwarfsmith.Dwarf.Writing;

namespace Dwarfsmith.Dwarf.Expressions;

/// <summary>
/// Decoding, encoding and printing of DWARF expressions (every DWARF 5 operation, the GNU ones and
/// DW_OP_WASM_location). Encoding a decoded expression reproduces its bytes exactly.
/// </summary>
public static class DwarfExpression
{
    /// <summary>The operand layout of an opcode; <paramref name="operand1"/> matters for DW_OP_WASM_location only.</summary>
    public static OperandLayout LayoutOf(DwOp op, ulong operand1 = 0) => op switch
    {
        DwOp.DW_OP_addr => OperandLayout.Address,
        DwOp.DW_OP_const1u or DwOp.DW_OP_pick or DwOp.DW_OP_deref_size or DwOp.DW_OP_xderef_size => OperandLayout.U8,
        DwOp.DW_OP_const1s => OperandLayout.S8,
        DwOp.DW_OP_const2u or DwOp.DW_OP_call2 => OperandLayout.U16,
        DwOp.DW_OP_const2s or DwOp.DW_OP_skip or DwOp.DW_OP_bra => OperandLayout.S16,
        DwOp.DW_OP_const4u or DwOp.DW_OP_call4 or DwOp.DW_OP_GNU_parameter_ref => OperandLayout.U32,
        DwOp.DW_OP_const4s => OperandLayout.S32,
        DwOp.DW_OP_const8u => OperandLayout.U64,
        DwOp.DW_OP_const8s => OperandLayout.S64,
        DwOp.DW_OP_constu or DwOp.DW_OP_plus_uconst or DwOp.DW_OP_regx or DwOp.DW_OP_piece or DwOp.DW_OP_addrx
            or DwOp.DW_OP_constx or DwOp.DW_OP_GNU_addr_index or DwOp.DW_OP_GNU_const_index
            or DwOp.DW_OP_convert or DwOp.DW_OP_reinterpret or DwOp.DW_OP_GNU_convert or DwOp.DW_OP_GNU_reinterpret => OperandLayout.Uleb,
        DwOp.DW_OP_consts or DwOp.DW_OP_fbreg => OperandLayout.Sleb,
        >= DwOp.DW_OP_breg0 and <= DwOp.DW_OP_breg31 => OperandLayout.Sleb,
        DwOp.DW_OP_bregx => OperandLayout.UlebSleb,
        DwOp.DW_OP_bit_piece or DwOp.DW_OP_regval_type or DwOp.DW_OP_GNU_regval_type => OperandLayout.UlebUleb,
        DwOp.DW_OP_implicit_value or DwOp.DW_OP_entry_value or DwOp.DW_OP_GNU_entry_value => OperandLayout.UlebBlock,
        DwOp.DW_OP_implicit_pointer or DwOp.DW_OP_GNU_implicit_pointer => OperandLayout.RefAddrSleb,
        DwOp.DW_OP_call_ref or DwOp.DW_OP_GNU_variable_value => OperandLayout.RefAddr,
        DwOp.DW_OP_const_type or DwOp.DW_OP_GNU_const_type => OperandLayout.UlebU8Block,
        DwOp.DW_OP_deref_type or DwOp.DW_OP_xderef_type or DwOp.DW_OP_GNU_deref_type => OperandLayout.U8Uleb,
        DwOp.DW_OP_WASM_location => OperandLayout.WasmLocation,
        DwOp.DW_OP_GNU_encoded_addr => OperandLayout.EncodedAddress,
        _ => OperandLayout.None,
    };

    /// <summary>True for opcodes this library knows (unknown ones cannot be decoded: their length is unknown).</summary>
    public static bool IsKnown(DwOp op) =>
        op is DwOp.DW_OP_addr or DwOp.DW_OP_deref
        || (op >= DwOp.DW_OP_const1u && op <= DwOp.DW_OP_implicit_pointer)
        || (op >= DwOp.DW_OP_addrx && op <= DwOp.DW_OP_reinterpret)
        || op is DwOp.DW_OP_GNU_push_tls_address or DwOp.DW_OP_GNU_uninit or DwOp.DW_OP_GNU_encoded_addr
        || (op >= DwOp.DW_OP_GNU_implicit_pointer && op <= DwOp.DW_OP_GNU_convert)
        || (op >= DwOp.DW_OP_GNU_reinterpret && op <= DwOp.DW_OP_GNU_variable_value)
        || op == DwOp.DW_OP_WASM_location;

    /// <summary>The standard name: DW_OP_lit5, DW_OP_reg3, DW_OP_breg7 for the ranges; DW_OP_0x.. for unknown codes.</summary>
    public static string Name(DwOp op) => op switch
    {
        >= DwOp.DW_OP_lit0 and <= DwOp.DW_OP_lit31 => s_lit[op - DwOp.DW_OP_lit0],
        >= DwOp.DW_OP_reg0 and <= DwOp.DW_OP_reg31 => s_reg[op - DwOp.DW_OP_reg0],
        >= DwOp.DW_OP_breg0 and <= DwOp.DW_OP_breg31 => s_breg[op - DwOp.DW_OP_breg0],
        _ => IsKnown(op) ? op.ToString() : $"DW_OP_0x{(byte)op:x2}",
    };

    private static readonly string[] s_lit = [.. Enumerable.Range(0, 32).Select(i => $"DW_OP_lit{i}")];
    private static readonly string[] s_reg = [.. Enumerable.Range(0, 32).Select(i => $"DW_OP_reg{i}")];
    private static readonly string[] s_breg = [.. Enumerable.Range(0, 32).Select(i => $"DW_OP_breg{i}")];

    /// <summary>A cursor decoding <paramref name="expression"/> one operation at a time.</summary>
    public static ExpressionCursor Decode(ReadOnlyMemory<byte> expression, in UnitEncoding encoding, string section = "expression", long sectionOffset = 0) =>
        new(expression, encoding, section, sectionOffset);

    /// <summary>Decodes a whole expression.</summary>
    public static List<DwarfOperation> DecodeAll(ReadOnlyMemory<byte> expression, in UnitEncoding encoding, string section = "expression", long sectionOffset = 0)
    {
        var list = new List<DwarfOperation>();
        var cursor = Decode(expression, encoding, section, sectionOffset);
        while (cursor.MoveNext())
            list.Add(cursor.Current);
        return list;
    }

    /// <summary>Reads one operation at the reader's position (offsets relative to <paramref name="start"/>).</summary>
    internal static DwarfOperation ReadOne(ref DwarfReader r, ReadOnlyMemory<byte> memory, in UnitEncoding e)
    {
        var at = r.Position;
        var op = (DwOp)r.ReadU8();
        if (!IsKnown(op))
            throw r.ErrorAt(r.Offset - 1, $"unknown operation 0x{(byte)op:X2}");
        ulong a = 0, b = 0;
        byte w1 = 0, w2 = 0;
        ReadOnlyMemory<byte> block = default;
        switch (LayoutOf(op))
        {
            case OperandLayout.None:
                break;
            case OperandLayout.Address:
                a = r.ReadAddress(e.AddressSize);
                break;
            case OperandLayout.U8:
                a = r.ReadU8();
                break;
            case OperandLayout.S8:
                a = (ulong)(sbyte)r.ReadU8();
                break;
            case OperandLayout.U16:
                a = r.ReadU16();
                break;
            case OperandLayout.S16:
                a = (ulong)(short)r.ReadU16();
                break;
            case OperandLayout.U32:
                a = r.ReadU32();
                break;
            case OperandLayout.S32:
                a = (ulong)(int)r.ReadU32();
                break;
            case OperandLayout.U64 or OperandLayout.S64:
                a = r.ReadU64();
                break;
            case OperandLayout.Uleb:
                a = Uleb(ref r, out w1);
                break;
            case OperandLayout.Sleb:
                a = Sleb(ref r, out w1);
                break;
            case OperandLayout.UlebSleb:
                a = Uleb(ref r, out w1);
                b = Sleb(ref r, out w2);
                break;
            case OperandLayout.UlebUleb:
                a = Uleb(ref r, out w1);
                b = Uleb(ref r, out w2);
                break;
            case OperandLayout.UlebBlock:
            {
                a = Uleb(ref r, out w1);
                var start = r.Position;
                r.Skip(a);
                block = memory.Slice(start, (int)a);
                break;
            }

            case OperandLayout.RefAddrSleb:
                a = r.ReadUInt(e.RefAddrSize);
                b = Sleb(ref r, out w2);
                break;
            case OperandLayout.RefAddr:
                a = r.ReadUInt(e.RefAddrSize);
                break;
            case OperandLayout.UlebU8Block:
            {
                a = Uleb(ref r, out w1);
                b = r.ReadU8();
                var start = r.Position;
                r.Skip(b);
                block = memory.Slice(start, (int)b);
                break;
            }

            case OperandLayout.U8Uleb:
                a = r.ReadU8();
                b = Uleb(ref r, out w2);
                break;
            case OperandLayout.WasmLocation:
                a = r.ReadU8();
                switch (a)
                {
                    case 0 or 1 or 2 or 4:
                        b = Uleb(ref r, out w2);
                        break;
                    case 3:
                        b = r.ReadU32();
                        break;
                    default:
                        throw r.ErrorAt(r.Offset - 1, $"unknown DW_OP_WASM_location kind {a}");
                }

                break;
            case OperandLayout.EncodedAddress:
            {
                a = r.ReadU8();
                var size = EncodedSize((byte)a, e.AddressSize);
                if (size == 0)
                    throw r.ErrorAt(r.Offset - 1, $"unsupported DW_OP_GNU_encoded_addr encoding 0x{a:X2}");
                b = r.ReadUInt(size);
                break;
            }

            default:
                throw r.Error("unsupported operand layout");
        }

        return new DwarfOperation(op, at, r.Position - at, a, b, block) { Width1 = w1, Width2 = w2 };
    }

    /// <summary>Encodes one operation, reproducing the LEB widths it was read with.</summary>
    public static void Encode(in DwarfOperation op, in UnitEncoding e, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        Put(output, (byte)op.Op);
        switch (LayoutOf(op.Op, op.Operand1))
        {
            case OperandLayout.None:
                break;
            case OperandLayout.Address:
                PutUInt(output, op.Operand1, e.AddressSize);
                break;
            case OperandLayout.U8 or OperandLayout.S8:
                PutUInt(output, op.Operand1, 1);
                break;
            case OperandLayout.U16 or OperandLayout.S16:
                PutUInt(output, op.Operand1, 2);
                break;
            case OperandLayout.U32 or OperandLayout.S32:
                PutUInt(output, op.Operand1, 4);
                break;
            case OperandLayout.U64 or OperandLayout.S64:
                PutUInt(output, op.Operand1, 8);
                break;
            case OperandLayout.Uleb:
                PutUleb(output, op.Operand1, op.Width1);
                break;
            case OperandLayout.Sleb:
                PutSleb(output, (long)op.Operand1, op.Width1);
                break;
            case OperandLayout.UlebSleb:
                PutUleb(output, op.Operand1, op.Width1);
                PutSleb(output, (long)op.Operand2, op.Width2);
                break;
            case OperandLayout.UlebUleb:
                PutUleb(output, op.Operand1, op.Width1);
                PutUleb(output, op.Operand2, op.Width2);
                break;
            case OperandLayout.UlebBlock:
                PutUleb(output, (ulong)op.Block.Length, op.Width1);
                output.Write(op.Block.Span);
                break;
            case OperandLayout.RefAddrSleb:
                PutUInt(output, op.Operand1, e.RefAddrSize);
                PutSleb(output, (long)op.Operand2, op.Width2);
                break;
            case OperandLayout.RefAddr:
                PutUInt(output, op.Operand1, e.RefAddrSize);
                break;
            case OperandLayout.UlebU8Block:
                PutUleb(output, op.Operand1, op.Width1);
                Put(output, (byte)op.Block.Length);
                output.Write(op.Block.Span);
                break;
            case OperandLayout.U8Uleb:
                Put(output, (byte)op.Operand1);
                PutUleb(output, op.Operand2, op.Width2);
                break;
            case OperandLayout.WasmLocation:
                Put(output, (byte)op.Operand1);
                if (op.Operand1 == 3)
                    PutUInt(output, op.Operand2, 4);
                else
                    PutUleb(output, op.Operand2, op.Width2);
                break;
            case OperandLayout.EncodedAddress:
                Put(output, (byte)op.Operand1);
                PutUInt(output, op.Operand2, EncodedSize((byte)op.Operand1, e.AddressSize));
                break;
            default:
                throw new ArgumentException($"cannot encode {op.Op}", nameof(op));
        }
    }

    /// <summary>Encodes a sequence of operations.</summary>
    public static byte[] Encode(IEnumerable<DwarfOperation> operations, in UnitEncoding e)
    {
        ArgumentNullException.ThrowIfNull(operations);
        var writer = new ArrayBufferWriter<byte>();
        foreach (var op in operations)
            Encode(op, e, writer);
        return writer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Prints an expression the way llvm-dwarfdump does without register names: "DW_OP_fbreg +12,
    /// DW_OP_WASM_location 0x3 0x0, DW_OP_stack_value". <paramref name="unit"/> resolves base type
    /// references (DW_OP_convert, DW_OP_regval_type); without it they print as offsets.
    /// </summary>
    public static string Format(ReadOnlyMemory<byte> expression, in UnitEncoding e, Unit? unit = null)
    {
        var sb = new StringBuilder();
        AppendFormatted(sb, expression, e, unit);
        return sb.ToString();
    }

    private static void AppendFormatted(StringBuilder sb, ReadOnlyMemory<byte> expression, in UnitEncoding e, Unit? unit)
    {
        var cursor = Decode(expression, e);
        var first = true;
        while (cursor.MoveNext())
        {
            if (!first)
                sb.Append(", ");
            first = false;
            AppendOperation(sb, cursor.Current, e, unit);
        }
    }

    /// <summary>Prints one operation (llvm-dwarfdump style).</summary>
    public static string Format(in DwarfOperation op, in UnitEncoding e, Unit? unit = null)
    {
        var sb = new StringBuilder();
        AppendOperation(sb, op, e, unit);
        return sb.ToString();
    }

    private static void AppendOperation(StringBuilder sb, in DwarfOperation op, in UnitEncoding e, Unit? unit)
    {
        var inv = CultureInfo.InvariantCulture;
        sb.Append(Name(op.Op));
        switch (op.Layout)
        {
            case OperandLayout.None:
                break;
            case OperandLayout.S8 or OperandLayout.S16 or OperandLayout.S32 or OperandLayout.S64 or OperandLayout.Sleb:
                sb.Append(' ').Append(Signed((long)op.Operand1));
                break;
            case OperandLayout.UlebSleb:
                sb.Append(inv, $" 0x{op.Operand1:x} ").Append(Signed((long)op.Operand2));
                break;
            case OperandLayout.RefAddrSleb:
                sb.Append(inv, $" 0x{op.Operand1:x} ").Append(Signed((long)op.Operand2));
                break;
            case OperandLayout.UlebBlock when op.Op is DwOp.DW_OP_entry_value or DwOp.DW_OP_GNU_entry_value:
                sb.Append('(');
                AppendFormatted(sb, op.Block, e, unit);
                sb.Append(')');
                break;
            case OperandLayout.UlebBlock:
                sb.Append(inv, $" 0x{op.Operand1:x}");
                foreach (var b in op.Block.Span)
                    sb.Append(inv, $" 0x{b:x2}");
                break;
            case OperandLayout.UlebUleb when op.Op is DwOp.DW_OP_regval_type or DwOp.DW_OP_GNU_regval_type:
                sb.Append(inv, $" 0x{op.Operand1:x}");
                AppendBaseType(sb, op.Operand2, unit);
                break;
            case OperandLayout.Uleb when op.Op is DwOp.DW_OP_convert or DwOp.DW_OP_GNU_convert or DwOp.DW_OP_reinterpret or DwOp.DW_OP_GNU_reinterpret:
                AppendBaseType(sb, op.Operand1, unit);
                break;
            case OperandLayout.UlebU8Block:
                AppendBaseType(sb, op.Operand1, unit);
                sb.Append(inv, $" 0x{op.Operand2:x}");
                foreach (var b in op.Block.Span)
                    sb.Append(inv, $" 0x{b:x2}");
                break;
            case OperandLayout.U8Uleb:
                sb.Append(inv, $" 0x{op.Operand1:x}");
                AppendBaseType(sb, op.Operand2, unit);
                break;
            case OperandLayout.UlebUleb or OperandLayout.WasmLocation or OperandLayout.EncodedAddress:
                sb.Append(inv, $" 0x{op.Operand1:x} 0x{op.Operand2:x}");
                break;
            default:
                sb.Append(inv, $" 0x{op.Operand1:x}");
                break;
        }
    }

    private static void AppendBaseType(StringBuilder sb, ulong unitOffset, Unit? unit)
    {
        if (unit is null)
        {
            sb.Append(CultureInfo.InvariantCulture, $" 0x{unitOffset:x}");
            return;
        }

        var offset = unit.Offset + (long)unitOffset;
        sb.Append(CultureInfo.InvariantCulture, $" (0x{offset:x8})");
        if (unit.ContainsOffset(offset))
        {
            var cursor = unit.EntriesAt(offset);
            if (cursor.MoveNext() && !cursor.IsNull && cursor.TryGetAttribute(DwAt.DW_AT_name, out var name) && unit.GetString(name) is { } s)
                sb.Append(" \"").Append(s).Append('"');
        }
    }

    private static string Signed(long value) => value >= 0 ? "+" + value.ToString(CultureInfo.InvariantCulture) : value.ToString(CultureInfo.InvariantCulture);

    private static int EncodedSize(byte encoding, int addressSize) => (encoding & 0x0F) switch
    {
        0x00 => addressSize,
        0x02 or 0x0A => 2,
        0x03 or 0x0B => 4,
        0x04 or 0x0C => 8,
        _ => 0,
    };

    // The width comes back through an out parameter, not a tuple: ValueTuple<ulong, byte> is a
    // CoreLib generic that ReadyToRun leaves to the JIT, and operands are decoded by the hundred thousand.
    private static ulong Uleb(ref DwarfReader r, out byte width)
    {
        var start = r.Position;
        var v = r.ReadULeb128();
        var read = r.Position - start;
        width = read == Leb.UlebSize(v) ? (byte)0 : (byte)read;
        return v;
    }

    private static ulong Sleb(ref DwarfReader r, out byte width)
    {
        var start = r.Position;
        var v = r.ReadSLeb128();
        var read = r.Position - start;
        width = read == Leb.SlebSize(v) ? (byte)0 : (byte)read;
        return (ulong)v;
    }

    private static void Put(IBufferWriter<byte> output, byte b)
    {
        output.GetSpan(1)[0] = b;
        output.Advance(1);
    }

    private static void PutUInt(IBufferWriter<byte> output, ulong value, int size)
    {
        var span = output.GetSpan(8);
        BinaryPrimitives.WriteUInt64LittleEndian(span, value);
        output.Advance(size);
    }

    private static void PutUleb(IBufferWriter<byte> output, ulong value, int width)
    {
        var n = Math.Max(width, Leb.UlebSize(value));
        Leb.TryWriteUleb(output.GetSpan(n)[..n], value);
        output.Advance(n);
    }

    private static void PutSleb(IBufferWriter<byte> output, long value, int width)
    {
        var n = Math.Max(width, Leb.SlebSize(value));
        Leb.WriteSleb(output.GetSpan(n)[..n], value);
        output.Advance(n);
    }
}

/// <summary>Decodes an expression one operation at a time; errors name the section and the offset.</summary>
public struct ExpressionCursor
{
    private readonly ReadOnlyMemory<byte> _expression;
    private readonly UnitEncoding _encoding;
    private readonly string _section;
    private readonly long _sectionOffset;
    private int _position;

    internal ExpressionCursor(ReadOnlyMemory<byte> expression, UnitEncoding encoding, string section, long sectionOffset)
    {
        _expression = expression;
        _encoding = encoding;
        _section = section;
        _sectionOffset = sectionOffset;
        _position = 0;
        Current = default;
    }

    public DwarfOperation Current { get; private set; }

    public bool MoveNext()
    {
        if (_position >= _expression.Length)
            return false;
        var r = new DwarfReader(_expression.Span, _section, _sectionOffset) { Position = _position };
        Current = DwarfExpression.ReadOne(ref r, _expression, _encoding);
        _position = r.Position;
        return true;
    }
}
