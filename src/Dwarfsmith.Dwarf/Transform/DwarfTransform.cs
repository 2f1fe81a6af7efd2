using Dwarfsmith.Dwarf.Collections;
using Dwarfsmith.Dwarf.Reading;
using Dwarfsmith.Dwarf.Writing;

namespace Dwarfsmith.Dwarf.Transform;

/// <summary>
/// The generic DWARF transformation pass: walks read-only input DWARF unit by unit and entry by
/// entry, asks a <see cref="DwarfVisitor"/> about every unit, entry, attribute, address, range,
/// location entry, expression operation and line row, and builds the output in a
/// <see cref="DwarfOutput"/>. References between entries (attributes, expression operands,
/// DW_AT_sibling, type units' type_offset) are recorded as pending while walking and resolved once
/// every kept entry has its output id, so visitors never handle offsets.
/// </summary>
public sealed partial class DwarfTransform
{
    /// <summary>The unit of a pending reference's placeholder id (its index names the input offset).</summary>
    private const int PendingUnit = -1;

    /// <summary>The unit of a DW_AT_sibling placeholder: the pass points it at the next output sibling.</summary>
    private const int SiblingUnit = -2;

    private readonly DwarfContext _input;
    private readonly AddressSink _addressSink = new();
    private readonly RangeSink _rangeSink = new();
    private readonly AttributeWriter _attributeWriter;
    private readonly LocationSink _locationSink;
    private readonly LineScratch _walkLines;
    private readonly LineScratch? _workerLines;
    private readonly BackgroundQueue? _lineWorker;
    private readonly List<ExpressionWriter> _expressionWriters = [];
    private readonly List<string> _warnings = [];

    private readonly AscendingMap<EntryId> _entryByInputOffset;
    private readonly ValueList<long> _pendingTargets = new();
    private readonly List<EntryBuilder> _entriesWithPendingReferences = [];
    private readonly List<EntryBuilder> _entriesWithSibling = [];
    private readonly List<List<ExpressionReference>> _expressionReferences = [];
    private readonly ValueList<TypeEntry> _typeEntries = new();
    private readonly LongMap<LineProgramId> _linePrograms = new();
    private readonly ValueList<Writing.LocationListEntry> _locationEntries = new(16);

    private readonly bool _mapsAddresses;
    private readonly bool _rewritesOperations;
    private int _expressionDepth;
    private int _entriesLeftOut;

    private DwarfTransform(DwarfContext input, DwarfVisitor visitor)
    {
        _input = input;
        Visitor = visitor;
        // About one entry per 12 bytes of .debug_info in compiler output (SQLite: 11.9): sized for one per 10, so that it is not grown.
        _entryByInputOffset = new AscendingMap<EntryId>(input.Sections[DwarfSections.Info].Length / 10);
        _attributeWriter = new AttributeWriter(this);
        _locationSink = new LocationSink(this);
        _walkLines = new LineScratch(visitor);
        var type = visitor.GetType();
        _mapsAddresses = OverridesMapping(type);
        _rewritesOperations = Overrides(type, nameof(DwarfVisitor.VisitOperation));
        if (Environment.ProcessorCount > 1 && ConcurrentLineRowVisitor(visitor) is { } rowVisitor)
        {
            _workerLines = new LineScratch(rowVisitor);
            _lineWorker = new BackgroundQueue("dwarfsmith line rows");
        }
    }

    /// <summary>
    /// The visitor that translates line rows on a worker thread during the walk, or null to keep
    /// them on the walk's thread: the one the visitor offers, or the visitor itself when it leaves
    /// every hook that row translation calls (VisitLineSequence, VisitLineRow, MapAddress) to the
    /// identity, so that no code of its runs there.
    /// </summary>
    private static DwarfVisitor? ConcurrentLineRowVisitor(DwarfVisitor visitor)
    {
        if (visitor.LineRowVisitor() is { } offered)
            return offered;
        var type = visitor.GetType();
        bool runsNoCode = !Overrides(type, nameof(DwarfVisitor.VisitLineSequence)) && !Overrides(type, nameof(DwarfVisitor.VisitLineRow))
            && !Overrides(type, nameof(DwarfVisitor.MapAddress));
        return runsNoCode ? visitor : null;
    }

    internal DwarfVisitor Visitor { get; }

    internal DwarfOutput Output { get; } = new();

    /// <summary>Runs the pass over every unit of <paramref name="input"/>.</summary>
    public static TransformResult Run(DwarfContext input, DwarfVisitor visitor)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(visitor);
        var pass = new DwarfTransform(input, visitor);
        try
        {
            pass.Walk();
        }
        catch when (pass._lineWorker is { } worker)
        {
            // Rows queued on the worker come before the failing step in the walk's own order: their
            // error, if they have one, is the one a walk on one thread would have met first.
            worker.Finish();
            throw;
        }

        // The rows of the last programs may still be in translation: the output is complete after this.
        pass._lineWorker?.Finish();
        return new TransformResult(pass.Output, pass._warnings, pass._entryByInputOffset);
    }

    internal static bool OverridesMapping(Type type) =>
        Overrides(type, nameof(DwarfVisitor.MapAddress)) || Overrides(type, nameof(DwarfVisitor.MapRange));

    private static bool Overrides(Type type, string method) =>
        type.GetMethods().Any(m => m.Name == method && m.DeclaringType != typeof(DwarfVisitor) && m.GetBaseDefinition().DeclaringType == typeof(DwarfVisitor));

    internal void Warn(string message) => _warnings.Add(message);

    private void Walk()
    {
        if (_input.TypeUnits.Count > 0)
            throw new NotSupportedException($"DWARF 4 type units (.debug_types, {_input.TypeUnits.Count} units) are not supported; rebuild without -fdebug-types-section");
        Output.GenerateAranges = !_input.Sections[DwarfSections.Aranges].IsEmpty;
        foreach (var unit in _input.Units)
        {
            if (Visitor.KeepUnit(unit))
                WalkUnit(unit);
            else
                _entriesLeftOut++;
        }

        ResolveReferences();
    }

    private void WalkUnit(Unit unit)
    {
        ushort version = Visitor.OutputVersion(unit);
        var unitType = unit.UnitType;
        if (version < 5 && unitType is not (DwUt.DW_UT_compile or DwUt.DW_UT_partial))
            throw new NotSupportedException($"{unit}: a {unitType} unit cannot be written as DWARF {version}");
        var cursor = unit.Entries();
        if (!cursor.MoveNext() || cursor.IsNull)
            return;
        var output = Output.AddUnit(
            version,
            (byte)unit.AddressSize,
            unit.OffsetSize == 8 ? DwarfFormat.Dwarf64 : DwarfFormat.Dwarf32,
            version >= 5 && unit.Version < 5 ? DwUt.DW_UT_compile : unitType,
            cursor.Tag,
            entryCapacity: (int)Math.Min(unit.Length / 10, int.MaxValue / 2));
        output.TypeSignature = unit.TypeSignature;
        output.DwoId = unit.DwoId;
        if (unit.IsTypeUnit)
            _typeEntries.Add(new TypeEntry(output, unit.Offset + (long)unit.TypeOffset));
        var state = new UnitState(unit, output);
        if (version >= 5 && unit.Version >= 5)
        {
            // Index strings, addresses and lists as the input did; seeing an indexed form turns it on.
            output.UseStringIndex = false;
            output.UseListIndex = false;
            if (!_mapsAddresses && cursor.TryGetAttribute(DwAt.DW_AT_addr_base, out _))
                state.AddressPoolPreserved = SeedAddressPool(unit, output);
        }

        Visitor.BeginUnit(unit, output);
        _entryByInputOffset.Append(cursor.Offset, output.Root.Id);
        long rootOffset = cursor.Offset;
        VisitAttributes(cursor, output.Root, state);
        Visitor.AfterAttributes(cursor, output.Root);
        if (cursor.HasChildren)
            WalkChildren(cursor, output.Root, state);
        Visitor.AfterChildren(rootOffset, output.Root);
        Visitor.EndUnit(unit, output);
    }

    /// <summary>A type unit and the input offset of its type entry, which the pass points it at once ids are known.</summary>
    private readonly record struct TypeEntry(UnitBuilder Unit, long InputOffset);

    /// <summary>One open sibling list: where its entries go, and the kept entry whose children they are.</summary>
    private readonly record struct Frame(EntryBuilder Parent, EntryBuilder? Owner, long OwnerOffset);

    private void WalkChildren(EntryCursor cursor, EntryBuilder root, UnitState state)
    {
        var frames = new ValueList<Frame>(64);
        frames.Add(new Frame(root, null, 0));
        while (frames.Count > 0 && cursor.MoveNext())
        {
            if (cursor.IsNull)
            {
                var done = frames.Pop();
                if (done.Owner is not null)
                    Visitor.AfterChildren(done.OwnerOffset, done.Owner);
                continue;
            }

            var parent = frames.Last.Parent;
            long offset = cursor.Offset;
            switch (Visitor.VisitEntry(cursor, parent))
            {
                case EntryAction.Drop:
                    _entriesLeftOut++;
                    cursor.SkipChildren();
                    break;
                case EntryAction.Unwrap:
                    _entriesLeftOut++;
                    if (cursor.HasChildren)
                        frames.Add(new Frame(parent, null, offset));
                    break;
                default:
                    var entry = parent.AddChild(cursor.Tag, cursor.Abbreviation!.Attributes.Count);
                    _entryByInputOffset.Append(offset, entry.Id);
                    VisitAttributes(cursor, entry, state);
                    Visitor.AfterAttributes(cursor, entry);
                    if (cursor.HasChildren)
                        frames.Add(new Frame(entry, entry, offset));
                    else
                        Visitor.AfterChildren(offset, entry);
                    break;
            }
        }

        // A unit that ends without its null entries: close what is open.
        while (frames.Count > 1)
        {
            var open = frames.Pop();
            if (open.Owner is not null)
                Visitor.AfterChildren(open.OwnerOffset, open.Owner);
        }
    }

    private void VisitAttributes(EntryCursor cursor, EntryBuilder output, UnitState state)
    {
        var writer = _attributeWriter;
        writer.StartEntry(cursor, output, state);
        foreach (var attribute in cursor.Attributes)
        {
            writer.Input = attribute;
            Visitor.VisitAttribute(attribute, writer);
        }
    }

    // ---------- services for the sinks and writers ----------

    /// <summary>Maps one address through the visitor; the sink is reused by the next call.</summary>
    internal AddressSink Map(ulong address, AddressUse use)
    {
        _addressSink.Clear();
        Visitor.MapAddress(address, use, _addressSink);
        return _addressSink;
    }

    /// <summary>Maps one range through the visitor; the sink is reused by the next call.</summary>
    internal RangeSink MapRange(ulong begin, ulong end)
    {
        _rangeSink.Clear();
        Visitor.MapRange(begin, end, _rangeSink);
        return _rangeSink;
    }

    /// <summary>A placeholder id for the output entry of the input entry at <paramref name="inputInfoOffset"/>.</summary>
    internal EntryId PendingTarget(long inputInfoOffset)
    {
        _pendingTargets.Add(inputInfoOffset);
        return new EntryId(PendingUnit, _pendingTargets.Count - 1);
    }

    internal void AddPendingReference(EntryBuilder output, DwAt name, long inputInfoOffset)
    {
        output.Add(name, Writing.AttributeValue.Reference(PendingTarget(inputInfoOffset)));
        if (_entriesWithPendingReferences.Count == 0 || _entriesWithPendingReferences[^1] != output)
            _entriesWithPendingReferences.Add(output);
    }

    internal void AddSibling(EntryBuilder output)
    {
        output.Add(DwAt.DW_AT_sibling, Writing.AttributeValue.Reference(new EntryId(SiblingUnit, 0)));
        _entriesWithSibling.Add(output);
    }

    /// <summary>
    /// Rewrites an input expression for the output unit: unchanged bytes (no copy) when nothing in it
    /// moves, else operation by operation through <see cref="DwarfVisitor.VisitOperation"/>.
    /// </summary>
    internal ReadOnlyMemory<byte> RewriteExpression(ReadOnlyMemory<byte> expression, UnitState state, out List<ExpressionReference>? references)
    {
        // An out parameter rather than a tuple: this runs for every expression, and ReadyToRun
        // leaves ValueTuple's generic code over these types to the JIT's unoptimized tier.
        references = null;
        if (!_rewritesOperations && !NeedsRewrite(expression, state.Input, state.Output, state.AddressPoolPreserved))
            return expression;
        var bytes = RewriteOperations(expression, state.Input, state.Output, out references);
        if (references is not null)
            _expressionReferences.Add(references);
        return bytes;
    }

    /// <summary>Rewrites the nested expression of DW_OP_entry_value (its references are the caller's to register).</summary>
    internal ReadOnlyMemory<byte> RewriteNested(ReadOnlyMemory<byte> expression, Unit input, UnitBuilder output, out List<ExpressionReference> references)
    {
        var bytes = RewriteOperations(expression, input, output, out var found);
        references = found ?? [];
        return bytes;
    }

    // Out parameters rather than tuples, here and in ExpressionWriter.Finish: ReadyToRun leaves
    // ValueTuple's generic code over these types to the JIT.
    private ReadOnlyMemory<byte> RewriteOperations(ReadOnlyMemory<byte> expression, Unit input, UnitBuilder output, out List<ExpressionReference>? references)
    {
        if (_expressionDepth == _expressionWriters.Count)
            _expressionWriters.Add(new ExpressionWriter(this));
        var writer = _expressionWriters[_expressionDepth++];
        try
        {
            writer.Start(expression, input, output);
            var operations = Expressions.DwarfExpression.Decode(expression, input.Encoding, input.Section.Name);
            while (operations.MoveNext())
            {
                var operation = operations.Current;
                writer.BeginOperation(operation.Offset);
                Visitor.VisitOperation(operation, writer);
            }

            return writer.Finish(out references);
        }
        finally
        {
            _expressionDepth--;
        }
    }

    /// <summary>
    /// The opcodes <see cref="NeedsRewrite"/> looks for. An expression in which none of these byte
    /// values occurs, as an opcode or inside an operand, holds none of them: nearly every expression
    /// is so cleared by one scan of its bytes, without decoding it. Keep it in step with the cases
    /// of <see cref="NeedsRewrite"/>: an opcode missing here would never be rewritten.
    /// </summary>
    private static readonly bool[] s_rewriteOpcodeBytes = RewriteOpcodeBytes();

    private static bool[] RewriteOpcodeBytes()
    {
        var table = new bool[256];
        foreach (var op in (DwOp[])[
            DwOp.DW_OP_addr, DwOp.DW_OP_addrx, DwOp.DW_OP_constx, DwOp.DW_OP_GNU_addr_index, DwOp.DW_OP_GNU_const_index,
            DwOp.DW_OP_convert, DwOp.DW_OP_reinterpret, DwOp.DW_OP_GNU_convert, DwOp.DW_OP_GNU_reinterpret,
            DwOp.DW_OP_const_type, DwOp.DW_OP_GNU_const_type, DwOp.DW_OP_regval_type, DwOp.DW_OP_GNU_regval_type,
            DwOp.DW_OP_deref_type, DwOp.DW_OP_xderef_type, DwOp.DW_OP_GNU_deref_type, DwOp.DW_OP_call2, DwOp.DW_OP_call4,
            DwOp.DW_OP_call_ref, DwOp.DW_OP_GNU_parameter_ref, DwOp.DW_OP_GNU_variable_value, DwOp.DW_OP_implicit_pointer,
            DwOp.DW_OP_GNU_implicit_pointer, DwOp.DW_OP_entry_value, DwOp.DW_OP_GNU_entry_value])
        {
            table[(byte)op] = true;
        }

        return table;
    }

    private bool NeedsRewrite(ReadOnlyMemory<byte> expression, Unit input, UnitBuilder output, bool addressPoolPreserved)
    {
        bool candidate = false;
        var table = s_rewriteOpcodeBytes;
        foreach (byte b in expression.Span)
            candidate |= table[b];
        if (!candidate)
            return false;
        var operations = Expressions.DwarfExpression.Decode(expression, input.Encoding, input.Section.Name);
        while (operations.MoveNext())
        {
            var op = operations.Current;
            switch (op.Op)
            {
                case DwOp.DW_OP_addr when _mapsAddresses:
                    return true;
                case DwOp.DW_OP_addrx or DwOp.DW_OP_constx or DwOp.DW_OP_GNU_addr_index or DwOp.DW_OP_GNU_const_index
                    when !addressPoolPreserved || output.Version < 5:
                    return true;
                case DwOp.DW_OP_convert or DwOp.DW_OP_reinterpret or DwOp.DW_OP_GNU_convert or DwOp.DW_OP_GNU_reinterpret when op.Operand1 != 0:
                    return true;
                case DwOp.DW_OP_const_type or DwOp.DW_OP_GNU_const_type or DwOp.DW_OP_regval_type or DwOp.DW_OP_GNU_regval_type
                    or DwOp.DW_OP_deref_type or DwOp.DW_OP_xderef_type or DwOp.DW_OP_GNU_deref_type
                    or DwOp.DW_OP_call2 or DwOp.DW_OP_call4 or DwOp.DW_OP_call_ref or DwOp.DW_OP_GNU_parameter_ref
                    or DwOp.DW_OP_GNU_variable_value or DwOp.DW_OP_implicit_pointer or DwOp.DW_OP_GNU_implicit_pointer:
                    return true;
                case DwOp.DW_OP_entry_value or DwOp.DW_OP_GNU_entry_value when NeedsRewrite(op.Block, input, output, addressPoolPreserved):
                    return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Gives the output unit the input unit's .debug_addr contribution, index for index, so that
    /// DW_OP_addrx operands stay valid unchanged. Only when addresses are not mapped.
    /// </summary>
    private static bool SeedAddressPool(Unit unit, UnitBuilder output)
    {
        int headerSize = unit.OffsetSize == 8 ? 16 : 8;
        var section = unit.Context.Sections[DwarfSections.Addr];
        if (unit.AddrBase < (ulong)headerSize || unit.AddrBase > (ulong)section.Length)
            return false;
        var r = section.ReaderAt((long)unit.AddrBase - headerSize);
        ulong length = unit.OffsetSize == 8 ? (r.ReadU32() == 0xFFFFFFFF ? r.ReadU64() : 0) : r.ReadU32();
        if (r.ReadU16() != 5 || r.ReadU8() != unit.AddressSize || r.ReadU8() != 0 || length < 4)
            return false;
        ulong count = (length - 4) / (ulong)unit.AddressSize;
        if (unit.AddrBase + (count * (ulong)unit.AddressSize) > (ulong)section.Length)
            return false;
        for (ulong i = 0; i < count; i++)
            output.AppendAddress(r.ReadAddress(unit.AddressSize));

        return true;
    }

    /// <summary>The output line program of the input program at <paramref name="offset"/>, translated on first use.</summary>
    internal LineProgramId LineProgramFor(UnitState state, ulong offset)
    {
        if (!_linePrograms.TryGetValue((long)offset, out var id))
        {
            id = Output.AddLineProgram(TranslateLineProgram(state, offset));
            _linePrograms.Set((long)offset, id);
        }

        return id;
    }
}

/// <summary>
/// What the pass produced: the output model, what it had to leave out or change on its own, and
/// which output entry each kept input entry became (by input .debug_info offset).
/// </summary>
public sealed record TransformResult(DwarfOutput Output, IReadOnlyList<string> Warnings, IReadOnlyDictionary<long, EntryId> EntryMap);

/// <summary>Per-unit state of the walk.</summary>
internal sealed class UnitState(Unit input, UnitBuilder output)
{
    public Unit Input { get; } = input;

    public UnitBuilder Output { get; } = output;

    /// <summary>The output's address pool starts with the input's, index for index.</summary>
    public bool AddressPoolPreserved { get; set; }
}
