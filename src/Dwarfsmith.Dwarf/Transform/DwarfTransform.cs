using System.Diagnostics.CodeAnalysis;
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

    /// <summary>The unit of a placeholder id the worker made (its index names an input offset in the worker's own list).</summary>
    private const int WorkerPendingUnit = -3;

    private readonly DwarfContext _input;
    private readonly AttributeWriter _attributeWriter;
    private readonly PassThread _walk;
    private readonly List<string> _warnings = [];

    // The worker thread, when the visitor lets line rows or location lists be translated beside the walk.
    private readonly PassThread? _worker;
    private readonly BackgroundQueue? _workerQueue;
    private readonly bool _linesOnWorker;
    private readonly bool _locationsOnWorker;
    private readonly ValueList<long> _workerPendingTargets = new();
    private readonly ValueList<WorkerReferences> _workerExpressionReferences = new();

    private readonly AscendingMap<EntryId> _entryByInputOffset;
    private readonly ValueList<long> _pendingTargets = new();
    private readonly List<EntryBuilder> _entriesWithPendingReferences = [];
    private readonly List<EntryBuilder> _entriesWithSibling = [];
    private readonly List<List<ExpressionReference>> _expressionReferences = [];
    private readonly ValueList<TypeEntry> _typeEntries = new();
    private readonly LongMap<LineProgramId> _linePrograms = new();

    private readonly bool _mapsAddresses;
    private readonly bool _rewritesEveryExpression;
    private readonly bool _keepsAttributes;
    private int _entriesLeftOut;

    private DwarfTransform(DwarfContext input, DwarfVisitor visitor, DwarfOutput output)
    {
        _input = input;
        Visitor = visitor;
        Output = output;
        // About one entry per 12 bytes of .debug_info in compiler output (SQLite: 11.9): sized for one per 10, so that it is not grown.
        _entryByInputOffset = new AscendingMap<EntryId>(input.Sections[DwarfSections.Info].Length / 10);
        _walk = new PassThread(this, visitor);
        _attributeWriter = new AttributeWriter(this, _walk);
        var type = visitor.GetType();
        _mapsAddresses = OverridesMapping(type);
        _rewritesEveryExpression = visitor.VisitsEveryExpression || Overrides(type, nameof(DwarfVisitor.VisitOperation));
        _keepsAttributes = !Overrides(type, nameof(DwarfVisitor.VisitAttribute));
        if (Environment.ProcessorCount < 2)
            return;
        var offered = visitor.WorkerVisitor();
        // Without an offered visitor, work goes to the worker only where it runs no code of the visitor's.
        _linesOnWorker = offered is not null || OverridesNone(type, nameof(DwarfVisitor.VisitLineSequence), nameof(DwarfVisitor.VisitLineRow), nameof(DwarfVisitor.MapAddress));
        _locationsOnWorker = offered is not null || OverridesNone(type, nameof(DwarfVisitor.VisitLocation), nameof(DwarfVisitor.VisitOperation), nameof(DwarfVisitor.VisitExpression),
            nameof(DwarfVisitor.MapAddress), nameof(DwarfVisitor.MapRange),
            // Hooks that could read a location list before the worker filled it in.
            nameof(DwarfVisitor.AfterAttributes), nameof(DwarfVisitor.AfterChildren), nameof(DwarfVisitor.EndUnit));
        if (_linesOnWorker || _locationsOnWorker)
        {
            _worker = new PassThread(this, offered ?? visitor);
            _workerQueue = new BackgroundQueue("dwarfsmith pass worker");
        }
    }

    private static bool OverridesNone([DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicMethods)] Type type, params string[] methods)
    {
        foreach (string method in methods)
        {
            if (Overrides(type, method))
                return false;
        }

        return true;
    }

    internal DwarfVisitor Visitor { get; }

    internal DwarfOutput Output { get; }

    /// <summary>Runs the pass over every unit of <paramref name="input"/>.</summary>
    public static TransformResult Run(DwarfContext input, DwarfVisitor visitor) =>
        Run(input, visitor, DefaultConcurrentReferenceEntries);

    /// <summary>
    /// Runs the pass over several inputs, each through its own visitor, into one output: the units
    /// of each input follow those of the one before, and the emitter gives them one set of sections
    /// (shared string and abbreviation tables, consistent unit offsets). Each input is walked as
    /// <see cref="Run(DwarfContext, DwarfVisitor)"/> walks one (its own references, line programs,
    /// worker thread); references from one input into another are not possible. The results share
    /// their <see cref="TransformResult.Output"/>; each has its input's warnings and entry map.
    /// </summary>
    public static IReadOnlyList<TransformResult> Run(IReadOnlyList<TransformInput> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var output = new DwarfOutput { GenerateAranges = false };
        var results = new List<TransformResult>(inputs.Count);
        foreach (var (input, visitor) in inputs)
            results.Add(Run(input, visitor, output, DefaultConcurrentReferenceEntries));
        return results;
    }

    internal static TransformResult Run(DwarfContext input, DwarfVisitor visitor, int concurrentReferenceEntries) =>
        Run(input, visitor, new DwarfOutput { GenerateAranges = false }, concurrentReferenceEntries);

    /// <param name="input">The DWARF to walk.</param>
    /// <param name="visitor">The hooks.</param>
    /// <param name="output">Where the units go (after any already there).</param>
    /// <param name="concurrentReferenceEntries">From how many entries with references on, two threads resolve them (tests vary it).</param>
    private static TransformResult Run(DwarfContext input, DwarfVisitor visitor, DwarfOutput output, int concurrentReferenceEntries)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(visitor);
        var pass = new DwarfTransform(input, visitor, output) { _concurrentReferenceEntries = concurrentReferenceEntries };
        try
        {
            pass.Walk();
        }
        catch when (pass._workerQueue is { } worker)
        {
            // Work given to the worker comes before the failing step in the walk's own order: its
            // error, if it has one, is the one a walk on one thread would have met first.
            pass.FlushLocationLists();
            worker.Finish();
            throw;
        }

        return new TransformResult(pass.Output, pass._warnings, pass._entryByInputOffset);
    }

    internal static bool OverridesMapping([DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicMethods)] Type type) =>
        Overrides(type, nameof(DwarfVisitor.MapAddress)) || Overrides(type, nameof(DwarfVisitor.MapRange));

    private static bool Overrides([DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicMethods)] Type type, string method) =>
        type.GetMethods().Any(m => m.Name == method && m.DeclaringType != typeof(DwarfVisitor) && m.GetBaseDefinition().DeclaringType == typeof(DwarfVisitor));

    internal void Warn(string message) => _warnings.Add(message);

    private void Walk()
    {
        if (_input.TypeUnits.Count > 0)
            throw new NotSupportedException($"DWARF 4 type units (.debug_types, {_input.TypeUnits.Count} units) are not supported; rebuild without -fdebug-types-section");
        Output.GenerateAranges |= !_input.Sections[DwarfSections.Aranges].IsEmpty;
        foreach (var unit in _input.Units)
        {
            if (Visitor.KeepUnit(unit))
                WalkUnit(unit);
            else
                _entriesLeftOut++;
        }

        // The worker's rows and lists are complete after this, and its expression references join the walk's.
        if (_workerQueue is { } worker)
        {
            FlushLocationLists();
            worker.Finish();
            MergeWorkerReferences();
        }

        ResolveReferences();
    }

    /// <summary>Puts the worker's expression references among the walk's where a walk on one thread would have registered them.</summary>
    private void MergeWorkerReferences()
    {
        if (_workerExpressionReferences.Count == 0)
            return;
        var merged = new List<List<ExpressionReference>>(_expressionReferences.Count + _workerExpressionReferences.Count);
        int next = 0;
        for (int i = 0; i <= _expressionReferences.Count; i++)
        {
            while (next < _workerExpressionReferences.Count && _workerExpressionReferences[next].Position == i)
                merged.Add(_workerExpressionReferences[next++].References);
            if (i < _expressionReferences.Count)
                merged.Add(_expressionReferences[i]);
        }

        _expressionReferences.Clear();
        _expressionReferences.AddRange(merged);
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
            Visitor.OutputAddressSize(unit),
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
            if (!_mapsAddresses && output.AddressSize == unit.AddressSize && cursor.TryGetAttribute(DwAt.DW_AT_addr_base, out _))
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
                    // Specs, the array: Attributes.Count, an interface call on it, runs JIT code for every entry.
                    var entry = parent.AddChild(cursor.Tag, cursor.Abbreviation!.Specs.Length);
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
            if (_keepsAttributes)
                TranslateAttribute(attribute, writer, state); // what the default VisitAttribute does, without the call
            else
                Visitor.VisitAttribute(attribute, writer);
        }
    }

    // ---------- services for the sinks and writers ----------

    /// <summary>A placeholder id for the output entry of the input entry at <paramref name="inputInfoOffset"/>, made on <paramref name="thread"/>.</summary>
    internal EntryId PendingTarget(long inputInfoOffset, PassThread thread)
    {
        var targets = thread == _walk ? _pendingTargets : _workerPendingTargets;
        targets.Add(inputInfoOffset);
        return new EntryId(thread == _walk ? PendingUnit : WorkerPendingUnit, targets.Count - 1);
    }

    /// <summary>The input offset a placeholder id stands for.</summary>
    private long PendingOffset(EntryId placeholder) =>
        placeholder.Unit == PendingUnit ? _pendingTargets[placeholder.Index] : _workerPendingTargets[placeholder.Index];

    internal void AddPendingReference(EntryBuilder output, DwAt name, long inputInfoOffset)
    {
        output.Add(name, Writing.AttributeValue.Reference(PendingTarget(inputInfoOffset, _walk)));
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
    /// moves, else through <see cref="DwarfVisitor.VisitExpression"/> (by default operation by
    /// operation through <see cref="DwarfVisitor.VisitOperation"/>). The thread's context says what
    /// it belongs to. An expression the visitor left out (<see cref="ExpressionWriter.LeaveOut"/>)
    /// comes back empty; callers that can drop it use the overload that says so.
    /// </summary>
    internal ReadOnlyMemory<byte> RewriteExpression(ReadOnlyMemory<byte> expression, UnitState state, PassThread thread, out List<ExpressionReference>? references) =>
        RewriteExpression(expression, state, thread, isAttribute: false, out references, out _, out _);

    /// <param name="isAttribute">An exprloc attribute's expression, which the visitor may make a location list (<paramref name="locationList"/>).</param>
    /// <param name="leftOut">The visitor left the expression out: write neither it nor its attribute or list entry.</param>
    internal ReadOnlyMemory<byte> RewriteExpression(
        ReadOnlyMemory<byte> expression, UnitState state, PassThread thread, bool isAttribute, out List<ExpressionReference>? references, out LocationList? locationList,
        out bool leftOut)
    {
        // An out parameter rather than a tuple: this runs for every expression, and ReadyToRun
        // leaves ValueTuple's generic code over these types to the JIT's unoptimized tier.
        references = null;
        locationList = null;
        leftOut = false;
        if (!_rewritesEveryExpression && !NeedsRewrite(expression, state.Input, state.Output, state.AddressPoolPreserved))
            return expression;
        var bytes = RewriteOperations(expression, state.Input, state.Output, thread, isAttribute, isNested: false, out references, out locationList, out leftOut);
        if (locationList is not null)
        {
            references = null; // the expression gives way to the list
            RegisterListReferences(locationList);
        }

        if (references is null)
            return bytes;
        if (thread == _walk)
            _expressionReferences.Add(references);
        else
            _workerExpressionReferences.Add(new WorkerReferences(_workerJobPosition, references));
        return bytes;
    }

    /// <summary>
    /// The entry operands of a location list a visitor made of an exprloc that name input entries
    /// (written by <see cref="ExpressionWriter.Keep"/>): resolved with the walk's others. Those naming
    /// output entries need nothing.
    /// </summary>
    private void RegisterListReferences(LocationList list)
    {
        var entries = list.Entries;
        for (int i = 0; i < entries.Count; i++)
        {
            if (entries[i].References is not { } references || !references.Any(r => r.Target.Unit is PendingUnit or WorkerPendingUnit))
                continue;
            var own = new List<ExpressionReference>(references);
            entries[i] = entries[i] with { References = own };
            _expressionReferences.Add(own);
        }
    }

    /// <summary>Rewrites the nested expression of DW_OP_entry_value (its references are the caller's to register).</summary>
    internal static ReadOnlyMemory<byte> RewriteNested(ReadOnlyMemory<byte> expression, Unit input, UnitBuilder output, PassThread thread, out List<ExpressionReference> references)
    {
        var bytes = RewriteOperations(expression, input, output, thread, isAttribute: false, isNested: true, out var found, out _, out _);
        references = found ?? [];
        return bytes;
    }

    // Out parameters rather than tuples, here and in ExpressionWriter.Finish: ReadyToRun leaves
    // ValueTuple's generic code over these types to the JIT.
    private static ReadOnlyMemory<byte> RewriteOperations(
        ReadOnlyMemory<byte> expression, Unit input, UnitBuilder output, PassThread thread, bool isAttribute, bool isNested,
        out List<ExpressionReference>? references, out LocationList? locationList, out bool leftOut)
    {
        var writer = thread.RentExpressionWriter();
        try
        {
            writer.Start(expression, input, output, isAttribute, isNested);
            thread.Visitor.VisitExpression(new ExpressionInput(expression, input, thread.Context, isAttribute), writer);
            return writer.Finish(out references, out locationList, out leftOut);
        }
        finally
        {
            thread.ReturnExpressionWriter();
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
                case DwOp.DW_OP_addr when _mapsAddresses || output.AddressSize != input.AddressSize:
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

/// <summary>One input of a pass over several (<see cref="DwarfTransform.Run(IReadOnlyList{TransformInput})"/>): its DWARF and the visitor it goes through.</summary>
public readonly record struct TransformInput(DwarfContext Input, DwarfVisitor Visitor);

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
