using Dwarfsmith.Dwarf.Collections;
using Dwarfsmith.Dwarf.Expressions;
using Dwarfsmith.Dwarf.Reading;
using Dwarfsmith.Dwarf.Writing;

namespace Dwarfsmith.Dwarf.Transform;

/// <summary>A branch target in an <see cref="ExpressionBuilder"/>: made by <see cref="ExpressionBuilder.NewLabel"/>, placed by <see cref="ExpressionBuilder.Mark"/>.</summary>
public readonly record struct ExpressionLabel(int Index);

/// <summary>
/// A built expression: its bytes and the operands in them that name entries (null when none), for
/// <see cref="Writing.AttributeValue.Expression"/>, <see cref="LocationSink.Add(ulong, ulong, in BuiltExpression)"/>
/// and <see cref="LocationList"/> entries. The emitter writes the entries' offsets into the bytes.
/// </summary>
public readonly record struct BuiltExpression(ReadOnlyMemory<byte> Bytes, IReadOnlyList<ExpressionReference>? References)
{
    /// <summary>A location-list entry valid in [begin, end) holding this expression.</summary>
    public Writing.LocationListEntry At(ulong begin, ulong end) => new(begin, end, Bytes) { References = References };
}

/// <summary>
/// Builds a DWARF expression for one output unit, operation by operation: operands are encoded for
/// the unit (address size, offset size, version); DW_OP_bra/DW_OP_skip aim at labels whose offsets
/// are resolved when the expression is laid out (<see cref="Build"/>); operands that name entries
/// (DW_OP_convert's base type, DW_OP_call_ref's DIE, DW_OP_implicit_pointer's variable…) take the
/// <see cref="EntryId"/> of an output entry, such as one the visitor created with
/// <see cref="UnitBuilder.NewEntry"/>, and the emitter writes its offset once entries are placed.
/// A visitor makes its own (<c>new ExpressionBuilder(output.OutputUnit)</c>) or writes through
/// <see cref="ExpressionWriter.Builder"/>.
/// </summary>
public sealed class ExpressionBuilder
{
    private readonly ByteBuffer _bytes = new(64);
    private readonly List<ExpressionReference> _references = [];
    private readonly ValueList<int> _labels = new();
    private readonly ValueList<LabelUse> _branches = new();

    public ExpressionBuilder(UnitBuilder unit)
    {
        ArgumentNullException.ThrowIfNull(unit);
        Unit = unit;
    }

    /// <summary>For an <see cref="ExpressionWriter"/>, which gives it a unit per expression (<see cref="Reset"/>).</summary>
    internal ExpressionBuilder() => Unit = null!;

    /// <summary>The unit the expression is for.</summary>
    public UnitBuilder Unit { get; private set; }

    /// <summary>The bytes written so far: the offset the next operation gets.</summary>
    public int Length => _bytes.Length;

    internal ByteBuffer Buffer => _bytes;

    internal UnitEncoding Encoding => new(Unit.Version, Unit.AddressSize, Unit.OffsetSize);

    /// <summary>Empties the builder (labels included) to build another expression for <paramref name="unit"/>.</summary>
    internal void Reset(UnitBuilder unit)
    {
        Unit = unit;
        Clear();
    }

    /// <summary>Empties the builder, labels included.</summary>
    public void Clear()
    {
        _bytes.Clear();
        _references.Clear();
        _labels.Clear();
        _branches.Clear();
    }

    /// <summary>Writes an operation that has no operands (DW_OP_stack_value, DW_OP_plus, DW_OP_lit0…).</summary>
    public ExpressionBuilder Op(DwOp op)
    {
        var layout = DwarfExpression.LayoutOf(op);
        if (layout != OperandLayout.None)
            throw new ArgumentException($"{DwarfExpression.Name(op)} has operands ({layout}): use Write or the method for it", nameof(op));
        _bytes.WriteU8((byte)op);
        return this;
    }

    /// <summary>Writes an operation with its operands encoded for the unit. Not for branches or operands naming entries, which have methods of their own.</summary>
    public ExpressionBuilder Write(in DwarfOperation op)
    {
        if (op.Op is DwOp.DW_OP_skip or DwOp.DW_OP_bra)
            throw new ArgumentException("a branch's target is a label: use Branch", nameof(op));
        DwarfExpression.Encode(op, Encoding, _bytes);
        return this;
    }

    /// <summary>
    /// Writes an operation with numeric operands (DW_OP_fbreg 12, DW_OP_constu 5, DW_OP_breg6 −20 as
    /// <c>unchecked((ulong)-20)</c>, DW_OP_WASM_location 0 3 …); LEB operands take their shortest form.
    /// </summary>
    public ExpressionBuilder Write(DwOp op, ulong operand1 = 0, ulong operand2 = 0) => Write(new DwarfOperation(op, 0, 0, operand1, operand2, default));

    /// <summary>Writes expression bytes as they are.</summary>
    public ExpressionBuilder Bytes(ReadOnlySpan<byte> bytes)
    {
        _bytes.WriteBytes(bytes);
        return this;
    }

    /// <summary>Appends a built expression (its entry operands move with it).</summary>
    public ExpressionBuilder Append(in BuiltExpression expression)
    {
        int start = _bytes.Length;
        _bytes.WriteBytes(expression.Bytes.Span);
        if (expression.References is { } references)
        {
            foreach (var reference in references)
                _references.Add(reference with { Position = reference.Position + start });
        }

        return this;
    }

    /// <summary>
    /// Pushes an address: DW_OP_addrx through the unit's address pool when <paramref name="indexed"/>
    /// and the unit is DWARF 5, DW_OP_addr at the unit's address size otherwise.
    /// </summary>
    public ExpressionBuilder Address(ulong address, bool indexed = false)
    {
        if (indexed && Unit.Version >= 5)
        {
            _bytes.WriteU8((byte)DwOp.DW_OP_addrx);
            _bytes.WriteUleb((ulong)Unit.InternAddress(address));
            return this;
        }

        _bytes.WriteU8((byte)DwOp.DW_OP_addr);
        _bytes.WriteFixed(address, Unit.AddressSize);
        return this;
    }

    /// <summary>A new branch target, placed later (or earlier) with <see cref="Mark"/>.</summary>
    public ExpressionLabel NewLabel()
    {
        _labels.Add(-1);
        return new ExpressionLabel(_labels.Count - 1);
    }

    /// <summary>Places <paramref name="label"/> here: at the next operation, or at the expression's end.</summary>
    public ExpressionBuilder Mark(ExpressionLabel label)
    {
        ref int position = ref LabelSlot(label);
        if (position >= 0)
            throw new InvalidOperationException($"label {label.Index} is already placed, at {position}");
        position = _bytes.Length;
        return this;
    }

    /// <summary>Writes DW_OP_bra or DW_OP_skip to <paramref name="target"/>, which may be placed before or after.</summary>
    public ExpressionBuilder Branch(DwOp op, ExpressionLabel target)
    {
        if (op is not (DwOp.DW_OP_skip or DwOp.DW_OP_bra))
            throw new ArgumentException($"{DwarfExpression.Name(op)} is not DW_OP_skip or DW_OP_bra", nameof(op));
        LabelSlot(target);
        _bytes.WriteU8((byte)op);
        _branches.Add(new LabelUse(_bytes.Length, target.Index));
        _bytes.WriteU16(0);
        return this;
    }

    /// <summary>DW_OP_convert or DW_OP_reinterpret (or their GNU forms) to <paramref name="baseType"/>; null is the generic type.</summary>
    public ExpressionBuilder Convert(DwOp op, EntryId? baseType)
    {
        if (op is not (DwOp.DW_OP_convert or DwOp.DW_OP_reinterpret or DwOp.DW_OP_GNU_convert or DwOp.DW_OP_GNU_reinterpret))
            throw new ArgumentException($"{DwarfExpression.Name(op)} is not a conversion", nameof(op));
        _bytes.WriteU8((byte)op);
        if (baseType is { } type)
            EntryOperand(ExpressionReferenceKind.UnitOffsetUleb, type);
        else
            _bytes.WriteUleb(0);
        return this;
    }

    /// <summary>DW_OP_deref_type (or DW_OP_xderef_type): reads <paramref name="size"/> bytes as <paramref name="baseType"/>.</summary>
    public ExpressionBuilder DerefType(byte size, EntryId baseType, DwOp op = DwOp.DW_OP_deref_type)
    {
        if (op is not (DwOp.DW_OP_deref_type or DwOp.DW_OP_xderef_type or DwOp.DW_OP_GNU_deref_type))
            throw new ArgumentException($"{DwarfExpression.Name(op)} is not a typed dereference", nameof(op));
        _bytes.WriteU8((byte)op);
        _bytes.WriteU8(size);
        return EntryOperand(ExpressionReferenceKind.UnitOffsetUleb, baseType);
    }

    /// <summary>DW_OP_const_type: <paramref name="value"/> (at most 255 bytes) as <paramref name="baseType"/>.</summary>
    public ExpressionBuilder ConstType(EntryId baseType, ReadOnlySpan<byte> value)
    {
        if (value.Length > byte.MaxValue)
            throw new ArgumentException("DW_OP_const_type holds at most 255 bytes", nameof(value));
        _bytes.WriteU8((byte)DwOp.DW_OP_const_type);
        EntryOperand(ExpressionReferenceKind.UnitOffsetUleb, baseType);
        _bytes.WriteU8((byte)value.Length);
        _bytes.WriteBytes(value);
        return this;
    }

    /// <summary>DW_OP_regval_type: register <paramref name="register"/>'s value as <paramref name="baseType"/>.</summary>
    public ExpressionBuilder RegvalType(ulong register, EntryId baseType)
    {
        _bytes.WriteU8((byte)DwOp.DW_OP_regval_type);
        _bytes.WriteUleb(register);
        return EntryOperand(ExpressionReferenceKind.UnitOffsetUleb, baseType);
    }

    /// <summary>DW_OP_call2, DW_OP_call4 (an entry of this unit) or DW_OP_call_ref (any unit's).</summary>
    public ExpressionBuilder Call(DwOp op, EntryId target)
    {
        var kind = op switch
        {
            DwOp.DW_OP_call2 => ExpressionReferenceKind.UnitOffset2,
            DwOp.DW_OP_call4 => ExpressionReferenceKind.UnitOffset4,
            DwOp.DW_OP_call_ref => ExpressionReferenceKind.SectionOffset,
            _ => throw new ArgumentException($"{DwarfExpression.Name(op)} is not a call", nameof(op)),
        };
        _bytes.WriteU8((byte)op);
        return EntryOperand(kind, target);
    }

    /// <summary>DW_OP_implicit_pointer: a pointer to <paramref name="target"/>'s value, <paramref name="offset"/> bytes in.</summary>
    public ExpressionBuilder ImplicitPointer(EntryId target, long offset)
    {
        _bytes.WriteU8((byte)DwOp.DW_OP_implicit_pointer);
        EntryOperand(ExpressionReferenceKind.SectionOffset, target);
        _bytes.WriteSleb(offset);
        return this;
    }

    /// <summary>
    /// Writes an operand naming <paramref name="target"/> (placeholder bytes the emitter patches):
    /// unit-relative kinds need an entry of this unit.
    /// </summary>
    public ExpressionBuilder EntryOperand(ExpressionReferenceKind kind, EntryId target)
    {
        if (kind != ExpressionReferenceKind.SectionOffset && target.Unit != Unit.Index)
            throw new ArgumentException($"a unit-relative operand ({kind}) names {target}, which is not in {Unit}", nameof(target));
        AddEntryOperand(kind, target);
        return this;
    }

    /// <summary>Writes an operand's placeholder for any target id, the pass's pending ones included.</summary>
    internal void AddEntryOperand(ExpressionReferenceKind kind, EntryId target)
    {
        var reference = new ExpressionReference(_bytes.Length, kind, target);
        _references.Add(reference);
        _bytes.WriteZeros(reference.Width(Unit.Version == 2 ? Unit.AddressSize : Unit.OffsetSize));
    }

    /// <summary>Adds references at positions already written (a nested expression's, moved by <paramref name="start"/>).</summary>
    internal void AddReferences(IEnumerable<ExpressionReference> references, int start)
    {
        foreach (var reference in references)
            _references.Add(reference with { Position = reference.Position + start });
    }

    /// <summary>Aims the branch whose 2-byte operand is at <paramref name="at"/> at <paramref name="target"/>.</summary>
    internal void PatchBranch(int at, int target)
    {
        long delta = target - (at + 2L);
        if (delta is < short.MinValue or > short.MaxValue)
            throw new InvalidOperationException($"a branch spans {delta} bytes, beyond DW_OP_skip/bra's range");
        _bytes.PatchFixed(at, (ulong)(ushort)(short)delta, 2);
    }

    /// <summary>The expression so far, its branches aimed at their labels (each must be placed); the builder keeps its content.</summary>
    public BuiltExpression Build()
    {
        var bytes = Finish(out var references);
        return new BuiltExpression(bytes, references);
    }

    internal ReadOnlyMemory<byte> Finish(out List<ExpressionReference>? references)
    {
        foreach (var (at, label) in _branches)
        {
            int target = _labels[label];
            if (target < 0)
                throw new InvalidOperationException($"a branch at {at - 1} aims at label {label}, which was never placed");
            PatchBranch(at, target);
        }

        references = _references.Count > 0 ? [.. _references] : null;
        return _bytes.Written.ToArray();
    }

    private ref int LabelSlot(ExpressionLabel label)
    {
        if (label.Index < 0 || label.Index >= _labels.Count)
            throw new ArgumentException($"label {label.Index} is not one of this builder's", nameof(label));
        return ref _labels[label.Index];
    }

    /// <summary>A branch's 2-byte operand at <paramref name="At"/>, aimed at label <paramref name="Label"/>.</summary>
    private readonly record struct LabelUse(int At, int Label);
}
