using Dwarfsmith.Dwarf.Collections;
using Dwarfsmith.Dwarf.Expressions;
using Dwarfsmith.Dwarf.Reading;
using Dwarfsmith.Dwarf.Writing;

namespace Dwarfsmith.Dwarf.Transform;

/// <summary>
/// Builds one output expression from the operations of an input expression. <see cref="Keep"/>
/// copies an operation, mapping its address operands and turning its entry operands into
/// references the pass fixes up; branch targets (DW_OP_skip, DW_OP_bra) are re-aimed at the output
/// offsets of the operations they named, so operations may grow, shrink, vanish or multiply.
/// </summary>
public sealed class ExpressionWriter
{
    private readonly DwarfTransform _pass;
    private readonly PassThread _thread;
    private readonly ByteBuffer _bytes = new(64);
    private readonly List<ExpressionReference> _references = [];
    private readonly Dictionary<int, int> _outputOffsetOfInput = [];
    // Not a List of tuples: ReadyToRun leaves the framework's generic code over tuples to the JIT.
    private readonly ValueList<Branch> _branches = new();
    private ReadOnlyMemory<byte> _source;

    internal ExpressionWriter(DwarfTransform pass, PassThread thread)
    {
        _pass = pass;
        _thread = thread;
    }

    /// <summary>The unit the input expression belongs to.</summary>
    public Unit InputUnit { get; private set; } = null!;

    /// <summary>The unit the output expression goes to.</summary>
    public UnitBuilder OutputUnit { get; private set; } = null!;

    private UnitEncoding OutputEncoding => new(OutputUnit.Version, OutputUnit.AddressSize, OutputUnit.OffsetSize);

    internal void Start(ReadOnlyMemory<byte> source, Unit inputUnit, UnitBuilder outputUnit)
    {
        _source = source;
        InputUnit = inputUnit;
        OutputUnit = outputUnit;
        _bytes.Clear();
        _references.Clear();
        _outputOffsetOfInput.Clear();
        _branches.Clear();
    }

    internal void BeginOperation(int inputOffset) => _outputOffsetOfInput[inputOffset] = _bytes.Length;

    /// <summary>Copies an input operation, mapping what it names.</summary>
    public void Keep(in DwarfOperation op)
    {
        switch (op.Op)
        {
            case DwOp.DW_OP_addr:
                WriteAddress(MapData(op.Operand1), indexed: false);
                return;
            case DwOp.DW_OP_addrx or DwOp.DW_OP_GNU_addr_index:
                WriteAddress(MapData(InputUnit.AddressAt(op.Operand1)), indexed: true);
                return;
            case DwOp.DW_OP_constx or DwOp.DW_OP_GNU_const_index:
                WriteRelocatedConstant(MapData(InputUnit.AddressAt(op.Operand1)));
                return;
            case DwOp.DW_OP_convert or DwOp.DW_OP_reinterpret or DwOp.DW_OP_GNU_convert or DwOp.DW_OP_GNU_reinterpret:
                _bytes.WriteU8((byte)op.Op);
                WriteTypeOperand(op.Operand1);
                return;
            case DwOp.DW_OP_const_type or DwOp.DW_OP_GNU_const_type:
                _bytes.WriteU8((byte)op.Op);
                WriteTypeOperand(op.Operand1);
                _bytes.WriteU8((byte)op.Block.Length);
                _bytes.WriteBytes(op.Block.Span);
                return;
            case DwOp.DW_OP_regval_type or DwOp.DW_OP_GNU_regval_type:
                _bytes.WriteU8((byte)op.Op);
                _bytes.WriteUleb(op.Operand1);
                WriteTypeOperand(op.Operand2);
                return;
            case DwOp.DW_OP_deref_type or DwOp.DW_OP_xderef_type or DwOp.DW_OP_GNU_deref_type:
                _bytes.WriteU8((byte)op.Op);
                _bytes.WriteU8((byte)op.Operand1);
                WriteTypeOperand(op.Operand2);
                return;
            case DwOp.DW_OP_call2:
                WriteUnitReference(op.Op, op.Operand1, ExpressionReferenceKind.UnitOffset2);
                return;
            case DwOp.DW_OP_call4 or DwOp.DW_OP_GNU_parameter_ref:
                WriteUnitReference(op.Op, op.Operand1, ExpressionReferenceKind.UnitOffset4);
                return;
            case DwOp.DW_OP_call_ref or DwOp.DW_OP_GNU_variable_value:
                _bytes.WriteU8((byte)op.Op);
                WriteSectionReference((long)op.Operand1);
                return;
            case DwOp.DW_OP_implicit_pointer or DwOp.DW_OP_GNU_implicit_pointer:
                _bytes.WriteU8((byte)op.Op);
                WriteSectionReference((long)op.Operand1);
                _bytes.WriteSleb((long)op.Operand2);
                return;
            case DwOp.DW_OP_entry_value or DwOp.DW_OP_GNU_entry_value:
                WriteEntryValue(op);
                return;
            case DwOp.DW_OP_skip or DwOp.DW_OP_bra:
                _bytes.WriteU8((byte)op.Op);
                _branches.Add(new Branch(_bytes.Length, (int)op.BranchTarget, op.Offset));
                _bytes.WriteU16(0);
                return;
            default:
                _bytes.WriteBytes(_source.Span.Slice(op.Offset, op.Length));
                return;
        }
    }

    /// <summary>Writes an operation as given (its operands are not mapped; do not use it for branches).</summary>
    public void Write(in DwarfOperation op) => DwarfExpression.Encode(op, OutputEncoding, _bytes);

    /// <summary>Writes raw expression bytes.</summary>
    public void WriteBytes(ReadOnlySpan<byte> bytes) => _bytes.WriteBytes(bytes);

    /// <summary>
    /// Pushes an address: DW_OP_addrx through the output unit's address pool when
    /// <paramref name="indexed"/> and the output is DWARF 5, DW_OP_addr otherwise.
    /// </summary>
    public void WriteAddress(ulong address, bool indexed)
    {
        if (indexed && OutputUnit.Version >= 5)
        {
            _bytes.WriteU8((byte)DwOp.DW_OP_addrx);
            _bytes.WriteUleb((ulong)OutputUnit.InternAddress(address));
            return;
        }

        _bytes.WriteU8((byte)DwOp.DW_OP_addr);
        _bytes.WriteFixed(address, OutputUnit.AddressSize);
    }

    private void WriteRelocatedConstant(ulong value)
    {
        if (OutputUnit.Version >= 5)
        {
            _bytes.WriteU8((byte)DwOp.DW_OP_constx);
            _bytes.WriteUleb((ulong)OutputUnit.InternAddress(value));
        }
        else if (OutputUnit.AddressSize == 8)
        {
            _bytes.WriteU8((byte)DwOp.DW_OP_const8u);
            _bytes.WriteU64(value);
        }
        else
        {
            _bytes.WriteU8((byte)DwOp.DW_OP_const4u);
            _bytes.WriteU32((uint)value);
        }
    }

    private ulong MapData(ulong address) =>
        InputUnit.IsTombstone(address) ? Tombstones.InOutput(address, OutputUnit.AddressSize) : _thread.Map(address, AddressUse.Data).TryGetLowest(out ulong mapped) ? mapped : address;

    /// <summary>A base-type operand: 0 is the generic type, anything else a unit-relative entry offset.</summary>
    private void WriteTypeOperand(ulong unitOffset)
    {
        if (unitOffset == 0)
        {
            _bytes.WriteUleb(0);
            return;
        }

        AddReference(ExpressionReferenceKind.UnitOffsetUleb, InputUnit.Offset + (long)unitOffset);
    }

    private void WriteUnitReference(DwOp op, ulong unitOffset, ExpressionReferenceKind kind)
    {
        _bytes.WriteU8((byte)op);
        AddReference(kind, InputUnit.Offset + (long)unitOffset);
    }

    private void WriteSectionReference(long infoOffset) => AddReference(ExpressionReferenceKind.SectionOffset, infoOffset);

    private void AddReference(ExpressionReferenceKind kind, long inputInfoOffset)
    {
        var reference = new ExpressionReference(_bytes.Length, kind, _pass.PendingTarget(inputInfoOffset, _thread));
        _references.Add(reference);
        _bytes.WriteZeros(reference.Width(OutputUnit.Version == 2 ? OutputUnit.AddressSize : OutputUnit.OffsetSize));
    }

    private void WriteEntryValue(in DwarfOperation op)
    {
        var nested = DwarfTransform.RewriteNested(op.Block, InputUnit, OutputUnit, _thread, out var nestedReferences);
        _bytes.WriteU8((byte)op.Op);
        _bytes.WriteUleb((ulong)nested.Length);
        int start = _bytes.Length;
        _bytes.WriteBytes(nested.Span);
        foreach (var reference in nestedReferences)
            _references.Add(reference with { Position = reference.Position + start });
    }

    /// <summary>The output expression, and its entry references (a fresh list, or null when none).</summary>
    internal ReadOnlyMemory<byte> Finish(out List<ExpressionReference>? references)
    {
        _outputOffsetOfInput[_source.Length] = _bytes.Length;
        foreach (var (at, inputTarget, inputOffset) in _branches)
        {
            if (!_outputOffsetOfInput.TryGetValue(inputTarget, out int outputTarget))
                throw new DwarfFormatException($"a branch at expression offset {inputOffset} targets offset {inputTarget}, which is not an operation that was kept", "expression", inputOffset);
            long delta = outputTarget - (at + 2);
            if (delta is < short.MinValue or > short.MaxValue)
                throw new InvalidOperationException($"a rewritten branch spans {delta} bytes, beyond DW_OP_skip/bra's range");
            _bytes.PatchFixed(at, (ulong)(ushort)(short)delta, 2);
        }

        references = _references.Count > 0 ? [.. _references] : null;
        return _bytes.Written.ToArray();
    }

    /// <summary>A DW_OP_skip/bra written at <paramref name="At"/>, whose target is patched once every operation is placed.</summary>
    private readonly record struct Branch(int At, int InputTarget, int InputOffset);
}
