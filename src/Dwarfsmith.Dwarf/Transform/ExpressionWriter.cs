using Dwarfsmith.Dwarf.Collections;
using Dwarfsmith.Dwarf.Expressions;
using Dwarfsmith.Dwarf.Reading;
using Dwarfsmith.Dwarf.Writing;

namespace Dwarfsmith.Dwarf.Transform;

/// <summary>One input expression as a whole, for <see cref="DwarfVisitor.VisitExpression"/>.</summary>
public readonly struct ExpressionInput
{
    internal ExpressionInput(ReadOnlyMemory<byte> bytes, Unit unit, in MappingContext context, bool isAttribute)
    {
        Bytes = bytes;
        Unit = unit;
        Context = context;
        IsAttribute = isAttribute;
    }

    /// <summary>The expression's bytes.</summary>
    public ReadOnlyMemory<byte> Bytes { get; }

    /// <summary>The input unit it belongs to.</summary>
    public Unit Unit { get; }

    /// <summary>The input entry and attribute it belongs to (an exprloc's, or the one referring to the location list).</summary>
    public MappingContext Context { get; }

    /// <summary>True for an exprloc attribute's expression, which may become a location list; false in a location list or nested in an operation.</summary>
    public bool IsAttribute { get; }

    /// <summary>The operations, decoded as they are read.</summary>
    public ExpressionCursor Operations => DwarfExpression.Decode(Bytes, Unit.Encoding, Unit.Section.Name);

    /// <summary>The operations, all decoded.</summary>
    public List<DwarfOperation> DecodeAll() => DwarfExpression.DecodeAll(Bytes, Unit.Encoding, Unit.Section.Name);

    /// <summary>The expression as llvm-dwarfdump prints it ("DW_OP_fbreg +12").</summary>
    public override string ToString() => DwarfExpression.Format(Bytes, Unit.Encoding, Unit);
}

/// <summary>
/// Builds one output expression from an input expression. <see cref="Keep"/>
/// copies an operation, mapping its address operands and turning its entry operands into
/// references the pass fixes up; branch targets (DW_OP_skip, DW_OP_bra) are re-aimed at the output
/// offsets of the operations they named, so operations may grow, shrink, vanish or multiply.
/// Operations of the visitor's own making go through <see cref="Builder"/> (labels, operands
/// naming output entries); an exprloc attribute may instead become a location list
/// (<see cref="WriteLocationList"/>).
/// </summary>
public sealed class ExpressionWriter
{
    private readonly DwarfTransform _pass;
    private readonly PassThread _thread;
    private readonly ExpressionBuilder _out;
    private readonly Dictionary<int, int> _outputOffsetOfInput = [];
    // Not a List of tuples: ReadyToRun leaves the framework's generic code over tuples to the JIT.
    private readonly ValueList<Branch> _branches = new();
    private ReadOnlyMemory<byte> _source;
    private bool _isAttribute;
    private bool _isNested;
    private bool _leftOut;
    private LocationList? _locationList;

    internal ExpressionWriter(DwarfTransform pass, PassThread thread)
    {
        _pass = pass;
        _thread = thread;
        _out = new ExpressionBuilder();
    }

    /// <summary>The unit the input expression belongs to.</summary>
    public Unit InputUnit { get; private set; } = null!;

    /// <summary>The unit the output expression goes to.</summary>
    public UnitBuilder OutputUnit => _out.Unit;

    /// <summary>The input entry and attribute the expression belongs to.</summary>
    public MappingContext Context => _thread.Context;

    /// <summary>
    /// The output expression so far: write operations of the visitor's own making here, with branch
    /// labels and operands naming output entries. Input operations go through <see cref="Keep"/>.
    /// </summary>
    public ExpressionBuilder Builder => _out;

    internal void Start(ReadOnlyMemory<byte> source, Unit inputUnit, UnitBuilder outputUnit, bool isAttribute, bool isNested)
    {
        _source = source;
        InputUnit = inputUnit;
        _out.Reset(outputUnit);
        _outputOffsetOfInput.Clear();
        _branches.Clear();
        _isAttribute = isAttribute;
        _isNested = isNested;
        _leftOut = false;
        _locationList = null;
    }

    /// <summary>The default of <see cref="DwarfVisitor.VisitExpression"/>: each input operation through <see cref="DwarfVisitor.VisitOperation"/>.</summary>
    public void VisitOperations()
    {
        var visitor = _thread.Visitor;
        var operations = DwarfExpression.Decode(_source, InputUnit.Encoding, InputUnit.Section.Name);
        while (operations.MoveNext())
        {
            var operation = operations.Current;
            _outputOffsetOfInput[operation.Offset] = _out.Length;
            visitor.VisitOperation(operation, this);
        }
    }

    /// <summary>
    /// Makes the exprloc attribute being rewritten a location list instead (the expression written,
    /// if any, is dropped): one input expression valid wherever its entry is becomes entries valid
    /// in ranges of the visitor's choosing. Only for an attribute (<see cref="ExpressionInput.IsAttribute"/>).
    /// </summary>
    public void WriteLocationList(LocationList list)
    {
        ArgumentNullException.ThrowIfNull(list);
        if (!_isAttribute)
            throw new InvalidOperationException($"{Context}: only an exprloc attribute's expression can become a location list, not one in a location list or nested in an operation");
        _locationList = list;
    }

    /// <summary>
    /// Leaves the expression out of the output (what was written is dropped): an exprloc attribute
    /// is not written at all, so that an entry whose location cannot be told has none (a debugger
    /// shows the variable as optimized out) rather than an empty or broken one; a location-list
    /// entry is not written (the variable has no location in its ranges). Not for an expression
    /// nested in an operation (DW_OP_entry_value's), which has no attribute or entry of its own.
    /// </summary>
    public void LeaveOut()
    {
        if (_isNested)
            throw new InvalidOperationException($"{Context}: an expression nested in an operation cannot be left out, only an attribute's or a location-list entry's");
        _leftOut = true;
    }

    /// <summary>Copies an input operation, mapping what it names.</summary>
    public void Keep(in DwarfOperation op)
    {
        var bytes = _out.Buffer;
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
                bytes.WriteU8((byte)op.Op);
                WriteTypeOperand(op.Operand1);
                return;
            case DwOp.DW_OP_const_type or DwOp.DW_OP_GNU_const_type:
                bytes.WriteU8((byte)op.Op);
                WriteTypeOperand(op.Operand1);
                bytes.WriteU8((byte)op.Block.Length);
                bytes.WriteBytes(op.Block.Span);
                return;
            case DwOp.DW_OP_regval_type or DwOp.DW_OP_GNU_regval_type:
                bytes.WriteU8((byte)op.Op);
                bytes.WriteUleb(op.Operand1);
                WriteTypeOperand(op.Operand2);
                return;
            case DwOp.DW_OP_deref_type or DwOp.DW_OP_xderef_type or DwOp.DW_OP_GNU_deref_type:
                bytes.WriteU8((byte)op.Op);
                bytes.WriteU8((byte)op.Operand1);
                WriteTypeOperand(op.Operand2);
                return;
            case DwOp.DW_OP_call2:
                WriteUnitReference(op.Op, op.Operand1, ExpressionReferenceKind.UnitOffset2);
                return;
            case DwOp.DW_OP_call4 or DwOp.DW_OP_GNU_parameter_ref:
                WriteUnitReference(op.Op, op.Operand1, ExpressionReferenceKind.UnitOffset4);
                return;
            case DwOp.DW_OP_call_ref or DwOp.DW_OP_GNU_variable_value:
                bytes.WriteU8((byte)op.Op);
                WriteSectionReference((long)op.Operand1);
                return;
            case DwOp.DW_OP_implicit_pointer or DwOp.DW_OP_GNU_implicit_pointer:
                bytes.WriteU8((byte)op.Op);
                WriteSectionReference((long)op.Operand1);
                bytes.WriteSleb((long)op.Operand2);
                return;
            case DwOp.DW_OP_entry_value or DwOp.DW_OP_GNU_entry_value:
                WriteEntryValue(op);
                return;
            case DwOp.DW_OP_skip or DwOp.DW_OP_bra:
                bytes.WriteU8((byte)op.Op);
                _branches.Add(new Branch(bytes.Length, (int)op.BranchTarget, op.Offset));
                bytes.WriteU16(0);
                return;
            default:
                bytes.WriteBytes(_source.Span.Slice(op.Offset, op.Length));
                return;
        }
    }

    /// <summary>Writes an operation as given (its operands are not mapped; do not use it for branches).</summary>
    public void Write(in DwarfOperation op) => DwarfExpression.Encode(op, _out.Encoding, _out.Buffer);

    /// <summary>Writes raw expression bytes.</summary>
    public void WriteBytes(ReadOnlySpan<byte> bytes) => _out.Bytes(bytes);

    /// <summary>
    /// Pushes an address: DW_OP_addrx through the output unit's address pool when
    /// <paramref name="indexed"/> and the output is DWARF 5, DW_OP_addr otherwise.
    /// </summary>
    public void WriteAddress(ulong address, bool indexed) => _out.Address(address, indexed);

    private void WriteRelocatedConstant(ulong value)
    {
        var bytes = _out.Buffer;
        if (OutputUnit.Version >= 5)
        {
            bytes.WriteU8((byte)DwOp.DW_OP_constx);
            bytes.WriteUleb((ulong)OutputUnit.InternAddress(value));
        }
        else if (OutputUnit.AddressSize == 8)
        {
            bytes.WriteU8((byte)DwOp.DW_OP_const8u);
            bytes.WriteU64(value);
        }
        else
        {
            bytes.WriteU8((byte)DwOp.DW_OP_const4u);
            bytes.WriteU32((uint)value);
        }
    }

    /// <summary>A data address mapped; a tombstone is kept dead, at the output's address size.</summary>
    private ulong MapData(ulong address) =>
        InputUnit.IsTombstone(address) ? Tombstones.InOutput(address, OutputUnit.AddressSize) : _thread.Map(address, AddressUse.Data).TryGetLowest(out ulong mapped) ? mapped : address;

    /// <summary>A base-type operand: 0 is the generic type, anything else a unit-relative entry offset.</summary>
    private void WriteTypeOperand(ulong unitOffset)
    {
        if (unitOffset == 0)
        {
            _out.Buffer.WriteUleb(0);
            return;
        }

        AddReference(ExpressionReferenceKind.UnitOffsetUleb, InputUnit.Offset + (long)unitOffset);
    }

    private void WriteUnitReference(DwOp op, ulong unitOffset, ExpressionReferenceKind kind)
    {
        _out.Buffer.WriteU8((byte)op);
        AddReference(kind, InputUnit.Offset + (long)unitOffset);
    }

    private void WriteSectionReference(long infoOffset) => AddReference(ExpressionReferenceKind.SectionOffset, infoOffset);

    private void AddReference(ExpressionReferenceKind kind, long inputInfoOffset) =>
        _out.AddEntryOperand(kind, _pass.PendingTarget(inputInfoOffset, _thread));

    private void WriteEntryValue(in DwarfOperation op)
    {
        var nested = DwarfTransform.RewriteNested(op.Block, InputUnit, OutputUnit, _thread, out var nestedReferences);
        var bytes = _out.Buffer;
        bytes.WriteU8((byte)op.Op);
        bytes.WriteUleb((ulong)nested.Length);
        int start = bytes.Length;
        bytes.WriteBytes(nested.Span);
        _out.AddReferences(nestedReferences, start);
    }

    /// <summary>
    /// The output expression, and its entry references (a fresh list, or null when none); or, when
    /// the visitor made the attribute a location list, that list in <paramref name="locationList"/>;
    /// or nothing when the visitor left it out (<paramref name="leftOut"/>).
    /// </summary>
    internal ReadOnlyMemory<byte> Finish(out List<ExpressionReference>? references, out LocationList? locationList, out bool leftOut)
    {
        leftOut = _leftOut;
        if (_leftOut)
        {
            references = null;
            locationList = null;
            return ReadOnlyMemory<byte>.Empty;
        }

        locationList = _locationList;
        _outputOffsetOfInput[_source.Length] = _out.Length;
        foreach (var (at, inputTarget, inputOffset) in _branches)
        {
            if (!_outputOffsetOfInput.TryGetValue(inputTarget, out int outputTarget))
                throw new DwarfFormatException($"a branch at expression offset {inputOffset} targets offset {inputTarget}, which is not an operation that was kept", "expression", inputOffset);
            _out.PatchBranch(at, outputTarget);
        }

        return _out.Finish(out references);
    }

    /// <summary>A DW_OP_skip/bra written at <paramref name="At"/>, whose target is patched once every operation is placed.</summary>
    private readonly record struct Branch(int At, int InputTarget, int InputOffset);
}
