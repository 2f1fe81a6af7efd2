using Dwarfsmith.Dwarf;
using Dwarfsmith.Dwarf.Expressions;
using Dwarfsmith.Dwarf.Reading;
using Dwarfsmith.Dwarf.Transform;
using Dwarfsmith.Dwarf.Writing;
using WriteValue = Dwarfsmith.Dwarf.Writing.AttributeValue;

namespace Dwarfsmith.Aot.NativeDwarf;

/// <summary>
/// Translates a module's DWARF, which describes the C program in wasm terms, into native DWARF for
/// the AOT executable, through what the executable's own DWARF says of the generated C
/// (<see cref="NativeCodeMap"/>, <see cref="GeneratedCode"/>):
/// <list type="bullet">
/// <item>code addresses and ranges: a wasm range becomes the native code translated from it (one to
/// many); a subprogram covers its whole native function;</item>
/// <item>line rows: each native range gets the row of the wasm instruction it came from, native
/// code of a translated function that came from no instruction gets line 0;</item>
/// <item>locations: a wasm local becomes the native location of its C variable <c>l&lt;i&gt;</c>,
/// a wasm global that of <c>wasm_global_&lt;i&gt;</c>, a linear-memory address (<c>DW_OP_addr</c>,
/// the frame base) the host address <c>wasm_mem0_base + a</c>;</item>
/// <item>addresses are 8 bytes; pointer types keep their 4 bytes.</item>
/// </list>
/// Where the C variables an expression reads have location lists (-O2), the expression becomes a
/// location list over the stretches of code where they stay put (<see cref="LocationTranslator"/>);
/// <c>DW_OP_fbreg</c> gets the frame base computed in place, so no variable depends on
/// <c>DW_AT_frame_base</c>, which is written only where it is one expression. Expressions it
/// cannot translate (operand-stack values, a local the native code keeps nowhere) are left out
/// with their attribute or list entry, so the debugger shows the variable as optimized out rather
/// than wrong, never an empty or broken expression.
/// </summary>
public sealed class WasmToNativeVisitor : DwarfVisitor
{
    private readonly NativeCodeMap _code;
    private readonly GeneratedCode _generated;
    private readonly JumpTargetLabels _labels;
    private readonly ulong _memoryBase;
    private readonly List<(ulong Start, ulong End)> _ranges = [];
    private readonly List<ulong> _addresses = [];
    private readonly LocationTranslator _locations;

    // The subprograms enclosing the entry being visited (the native function is null when the
    // subprogram has no code, e.g. a declaration or an abstract instance).
    private readonly Stack<SubprogramScope> _scopes = new();

    // Whether the entry being visited is external (DW_AT_external): see Untranslatable.
    private bool _isExternal;

    /// <param name="labels">The module's jump-target labels (<c>end</c>, <c>else</c>): their code gets the row of the instruction after them, not as a statement.</param>
    public WasmToNativeVisitor(NativeCodeMap code, GeneratedCode generated, JumpTargetLabels? labels = null)
    {
        _code = code ?? throw new ArgumentNullException(nameof(code));
        _generated = generated ?? throw new ArgumentNullException(nameof(generated));
        _labels = labels ?? JumpTargetLabels.None;
        _memoryBase = generated.MemoryBaseAddress ?? 0;
        _locations = new LocationTranslator(generated, _memoryBase);
    }

    public override bool MovesCode => true;

    public override bool VisitsEveryExpression => true;

    public override byte OutputAddressSize(Unit unit) => 8;

    public override void BeginUnit(Unit input, UnitBuilder output) => _scopes.Clear();

    public override EntryAction VisitEntry(EntryCursor entry, EntryBuilder parent)
    {
        ArgumentNullException.ThrowIfNull(entry);
        while (_scopes.Count > 0 && _scopes.Peek().Depth >= entry.Depth)
            _scopes.Pop();
        if (entry.Tag == DwTag.DW_TAG_subprogram)
            _scopes.Push(new SubprogramScope(entry.Depth, FunctionAt(entry), FrameBaseOf(entry)));
        _isExternal = entry.TryGetAttribute(DwAt.DW_AT_external, out var external) && (external.Form == DwForm.DW_FORM_flag_present || external.Value != 0);
        return EntryAction.Keep;
    }

    public override void VisitAttribute(in Dwarf.Reading.AttributeValue attribute, AttributeWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        // wasm's C ABI renames main (__main_argc_argv, __original_main) and clang records that as
        // main's linkage name, which gdb then shows instead of main.
        if (attribute.Name is DwAt.DW_AT_linkage_name or DwAt.DW_AT_MIPS_linkage_name
            && WasmMain.IsRenamedMain(output.InputUnit.GetString(attribute)))
        {
            return;
        }

        output.Keep();
    }

    public override void AfterAttributes(EntryCursor entry, EntryBuilder output)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(output);
        // A pointer without a size has the unit's address size, 8 now: wasm32's pointers are 4 bytes.
        if (entry.Tag is DwTag.DW_TAG_pointer_type or DwTag.DW_TAG_reference_type or DwTag.DW_TAG_rvalue_reference_type
            && !entry.TryGetAttribute(DwAt.DW_AT_byte_size, out _))
        {
            output.Add(DwAt.DW_AT_byte_size, WriteValue.Unsigned(4));
        }
    }

    // ---------- addresses ----------

    public override void MapAddress(ulong address, AddressUse use, AddressSink output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (use == AddressUse.UnitBase)
        {
            // Units' lists are written with absolute native addresses below; a base of 0 keeps them so.
            output.Add(0);
            return;
        }

        _code.AddressesOf(address, _addresses);
        foreach (var native in _addresses)
            output.Add(native);
    }

    public override void MapRange(ulong begin, ulong end, RangeSink output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (output.Context.Tag == DwTag.DW_TAG_subprogram && FunctionAtCode(begin) is { } function)
        {
            // All of the native function, prologue, epilogue and glue included: a pc anywhere in it
            // is in this function for the debugger's backtrace.
            output.Add(function.Low, function.High);
            return;
        }

        _code.MapRange(begin, end, _ranges);
        if (output.Context.Tag is DwTag.DW_TAG_compile_unit or DwTag.DW_TAG_partial_unit)
        {
            // A unit covers its functions whole, as their subprograms do.
            NativeFunction? last = null;
            foreach (var (start, stop) in _ranges)
            {
                if (!_generated.TryFindFunction(start, out var covering))
                    output.Add(start, stop);
                else if (covering != last)
                    output.Add(covering.Low, covering.High);
                last = covering;
            }

            return;
        }

        foreach (var (start, stop) in _ranges)
            output.Add(start, stop);
    }

    // ---------- line rows ----------

    public override void VisitLineSequence(LineSequenceInput sequence, LineSequenceSink output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var rows = sequence.Rows;
        if (rows.Length == 0)
            return;

        // The native functions translated from this sequence's code, each written as a sequence of
        // its own: the native code between them belongs to other units or to the runtime.
        _code.MapRange(sequence.Sequence.LowAddress, sequence.EndAddress, _ranges);
        NativeFunction? previous = null;
        foreach (var (start, _) in _ranges)
        {
            if (!_generated.TryFindFunction(start, out var function) || function == previous)
                continue;
            previous = function;
            WriteFunctionRows(function, rows, sequence.Sequence.LowAddress, sequence.EndAddress, output);
        }
    }

    /// <summary>
    /// One row per run of native code translated from one wasm row, over the whole native function;
    /// code from no instruction continues the row before it (line 0 where there is none).
    /// </summary>
    private void WriteFunctionRows(NativeFunction function, ReadOnlySpan<Dwarfsmith.Dwarf.Reading.LineRow> rows, ulong low, ulong end, LineSequenceSink output)
    {
        var ranges = _code.Ranges;
        int index = _code.FirstRangeEndingAfter(function.Low);
        int lastRow = -2, lastStatement = -1;
        bool lastWasLabel = false;
        bool bodySeen = false, prologueEndWritten = false;

        // The wasm function's code: from its start (its local declarations, the least code offset
        // of its native code) to its last instruction. A sequence may hold several functions.
        ulong start = ulong.MaxValue, last = 0;
        for (int i = index; i < ranges.Count && ranges[i].Start < function.High; i++)
        {
            if (ranges[i].CodeOffset != NativeCodeMap.NoCodeOffset && ranges[i].CodeOffset >= low && ranges[i].CodeOffset < end)
            {
                start = Math.Min(start, ranges[i].CodeOffset);
                last = Math.Max(last, ranges[i].CodeOffset);
            }
        }

        int prologueEnd = -1;
        for (int i = start == ulong.MaxValue ? rows.Length : RowAt(rows, start); i < rows.Length && rows[i].Address <= last && prologueEnd < 0; i++)
        {
            if (rows[i].PrologueEnd)
                prologueEnd = i;
        }

        ulong lastEnd = function.Low;
        for (; index < ranges.Count && ranges[index].Start < function.High; index++)
        {
            var range = ranges[index];
            // Below the sequence's first row is the function's start (its local declarations, which
            // the C function's prologue and call-depth check come from): the first row's. Code from
            // the function's start that the C compiler placed after the body (at -O2 the cold
            // call-depth trap) is glue like code from no instruction: the first row repeated there
            // would make gdb's prologue analysis run to it, past every breakpoint between.
            bool fromStart = range.CodeOffset < low || range.CodeOffset == start;
            // A jump-target label's code (JumpTargetLabels) runs on into the instruction after it,
            // whose row starts right after it: the label's own code gets a line-0 row, no statement.
            // A jump there (a break out of a loop) then steps on to the next statement as natively,
            // instead of stopping in the row before the label (the break's); and no breakpoint goes
            // there, inside the block the label ends (lldb would put one there on a non-statement
            // row of the next line, with the block's variables in scope).
            ulong codeOffset = range.CodeOffset, afterLabel = 0;
            bool isLabel = !fromStart && _labels.TryGetNext(codeOffset, out afterLabel);
            if (isLabel)
                codeOffset = afterLabel == JumpTargetLabels.NoNextInstruction ? NativeCodeMap.NoCodeOffset : afterLabel;
            int row = codeOffset == NativeCodeMap.NoCodeOffset || codeOffset >= end ? -1
                : fromStart && bodySeen ? -1
                : codeOffset < low ? 0
                : RowAt(rows, codeOffset);
            bodySeen |= !fromStart && range.CodeOffset < end;
            // Code from no instruction inside a translated function (what the C compiler marks line 0,
            // the runtime's inline helpers) belongs to the instruction before it: a row of its own
            // would split that statement (and a line 0 in the prologue defeats gdb's prologue analysis).
            // But code the C compiler merged from several lines (at -O2) is no one line's: line 0, not
            // the line before it, which a caller's frame would show for a merged call.
            bool merged = range.IsMerged && bodySeen;
            if (merged)
                row = -1;
            if (range.Start == lastEnd && (row == lastRow || (row < 0 && lastRow >= 0)) && !(merged && lastRow >= 0)
                && isLabel == lastWasLabel)
            {
                lastEnd = range.End;
                continue;
            }

            var source = row >= 0 ? rows[row] : rows[0] with { Line = 0, Column = 0, IsStmt = false, PrologueEnd = false, EpilogueBegin = false, Discriminator = 0 };
            if (isLabel)
            {
                output.AddRow(LineSequenceSink.Convert(source with { Line = 0, Column = 0, IsStmt = false, PrologueEnd = false, EpilogueBegin = false }, range.Start));
                lastRow = row;
                lastWasLabel = true;
                lastEnd = range.End;
                continue;
            }

            // The code after a label continues its statement unless a row starts there: no second
            // statement start for the row the label's code took.
            if (lastWasLabel && row >= 0 && rows[row].Address != range.CodeOffset)
                source = source with { IsStmt = false };
            lastWasLabel = false;
            // The first native code of a statement is where it starts, even when the C compiler left
            // none for the wasm row that starts it (at -O2 a local.get folded into its use): else the
            // line has no is_stmt row and gdb puts its breakpoint on a later line.
            int statement = row >= 0 ? StatementOf(rows, row) : -1;
            if (statement >= 0 && statement != lastStatement)
                source = source with { IsStmt = true };
            // Likewise the prologue's end: on the first native code from the body, once, even when
            // the row that has it got none; without it gdb guesses the prologue from line numbers,
            // and at -O2 guesses the whole function.
            if (row >= 0 && prologueEnd >= 0 && row >= prologueEnd && !prologueEndWritten)
            {
                source = source with { PrologueEnd = true };
                prologueEndWritten = true;
            }
            else if (source.PrologueEnd)
            {
                source = source with { PrologueEnd = false };
            }
            output.AddRow(LineSequenceSink.Convert(source, range.Start));
            lastRow = row;
            lastStatement = statement;
            lastEnd = range.End;
        }

        output.EndSequence(function.High);
    }

    /// <summary>
    /// The is_stmt row that starts the statement <paramref name="row"/> belongs to: the last is_stmt
    /// row at or before it with only rows of the same line between; -1 when there is none.
    /// </summary>
    private static int StatementOf(ReadOnlySpan<Dwarfsmith.Dwarf.Reading.LineRow> rows, int row)
    {
        for (int i = row; i >= 0; i--)
        {
            if (rows[i].File != rows[row].File || rows[i].Line != rows[row].Line)
                return -1;
            if (rows[i].IsStmt)
                return i;
        }

        return -1;
    }

    /// <summary>The last row at or before <paramref name="codeOffset"/> (rows ascend by address).</summary>
    private static int RowAt(ReadOnlySpan<Dwarfsmith.Dwarf.Reading.LineRow> rows, ulong codeOffset)
    {
        int low = 0, high = rows.Length - 1, found = 0;
        while (low <= high)
        {
            int middle = (low + high) >>> 1;
            if (rows[middle].Address <= codeOffset)
            {
                found = middle;
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return found;
    }

    // ---------- expressions ----------

    public override void VisitExpression(in ExpressionInput expression, ExpressionWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var scope = _scopes.Count > 0 ? _scopes.Peek() : null;
        bool frameBase = output.Context.Attribute == DwAt.DW_AT_frame_base;
        var operations = expression.DecodeAll();
        if (!_locations.DependsOnPc(operations, scope, out var locals))
        {
            var whole = new ExpressionBuilder(output.OutputUnit);
            if (!_locations.TranslateWhole(expression.Unit, operations, scope, locals, frameBase, whole))
                Untranslatable(output);
            else if (IsVariableLocation(output.Context, expression) && scope?.Function is { } code
                && !HoldsAddress(operations) && HoldsAddress(whole.Build(), output.OutputUnit))
            {
                // lldb takes a variable whose location is one expression holding a DW_OP_addr
                // for a static (DWARF gives no other sign of one) and lists it among the statics;
                // this one holds the memory base's address (a struct in linear memory that a wasm
                // local points to: a struct argument, a returned struct). As a location list over
                // its function's native code it is a local to lldb, and the same to gdb, which
                // relocates DW_OP_addr in either (the executable is a PIE: DW_OP_constu would not do).
                var overFunction = new LocationList(1);
                overFunction.Entries.Add(whole.Build().At(code.Low, code.High));
                output.WriteLocationList(overFunction);
            }
            else
            {
                output.Builder.Append(whole.Build());
            }

            return;
        }

        // Where the C variables move over the function's code: a location list over it. A frame base
        // so is left out, since every DW_OP_fbreg computes it in place.
        if (frameBase || !expression.IsAttribute || scope?.Function is not { } function)
        {
            output.LeaveOut();
            return;
        }

        var list = new LocationList();
        _locations.TranslatePieces(expression.Unit, operations, scope, locals, function.Low, function.High, output.OutputUnit, list);
        if (list.Entries.Count == 0)
            output.LeaveOut();
        else
            output.WriteLocationList(list);
    }

    /// <summary>Whether the expression is a variable's or parameter's <c>DW_AT_location</c> (not a static's: see <see cref="HoldsAddress(IReadOnlyList{DwarfOperation})"/>).</summary>
    private static bool IsVariableLocation(MappingContext context, in ExpressionInput expression) =>
        expression.IsAttribute && context.Attribute == DwAt.DW_AT_location
        && context.Tag is DwTag.DW_TAG_variable or DwTag.DW_TAG_formal_parameter;

    /// <summary>Whether wasm operations name a linear-memory address (a static's or global's location).</summary>
    private static bool HoldsAddress(IReadOnlyList<DwarfOperation> operations) =>
        operations.Any(operation => operation.Op is DwOp.DW_OP_addr or DwOp.DW_OP_addrx or DwOp.DW_OP_GNU_addr_index);

    /// <summary>Whether a translated expression holds a DW_OP_addr (or DW_OP_addrx).</summary>
    private static bool HoldsAddress(in BuiltExpression expression, UnitBuilder unit) =>
        HoldsAddress(DwarfExpression.DecodeAll(expression.Bytes, new UnitEncoding(unit.Version, unit.AddressSize, unit.OffsetSize)));

    /// <summary>
    /// An expression that cannot be translated: left out with its attribute, so that the variable has
    /// no location (gdb and lldb show it optimized out). But an external variable without a location
    /// is, to gdb, a declaration of one that an ELF symbol of its name defines (LOC_UNRESOLVED: it
    /// would show the runtime's symbol of that name, or nothing); that one gets the empty location
    /// description (DWARF 5, 2.6.1.1.1: present in the source, not in the object code), which gdb
    /// shows as optimized out.
    /// </summary>
    private void Untranslatable(ExpressionWriter output)
    {
        if (_isExternal && output.Context.Attribute == DwAt.DW_AT_location && output.Context.Tag == DwTag.DW_TAG_variable)
            output.Builder.Clear();
        else
            output.LeaveOut();
    }

    /// <summary>
    /// An entry of a wasm location list: its expression over each native range its code range maps
    /// to, cut where the C variables it reads move.
    /// </summary>
    public override void VisitLocation(in Dwarf.Reading.LocationListEntry entry, LocationSink output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var scope = _scopes.Count > 0 ? _scopes.Peek() : null;
        var operations = DwarfExpression.DecodeAll(entry.Expression, output.InputUnit.Encoding, output.InputUnit.Section.Name);
        if (entry.IsDefault || !_locations.DependsOnPc(operations, scope, out var locals))
        {
            output.Keep(entry);
            return;
        }

        var list = new LocationList();
        _code.MapRange(entry.Begin, entry.End, _ranges);
        foreach (var (start, stop) in _ranges)
            _locations.TranslatePieces(output.InputUnit, operations, scope, locals, start, stop, output.OutputUnit, list);
        for (int i = 0; i < list.Entries.Count; i++)
            output.Add(list.Entries[i].Begin, list.Entries[i].End, list.Entries[i].Expression, list.Entries[i].References);
    }

    /// <summary>The subprogram's wasm frame base, decoded, when it is one expression.</summary>
    private static List<DwarfOperation>? FrameBaseOf(EntryCursor subprogram) =>
        subprogram.TryGetAttribute(DwAt.DW_AT_frame_base, out var frameBase) && frameBase.IsBlock
            ? DwarfExpression.DecodeAll(frameBase.Memory, subprogram.Unit.Encoding, subprogram.Unit.Section.Name)
            : null;

    private NativeFunction? FunctionAt(EntryCursor subprogram) =>
        subprogram.TryGetAttribute(DwAt.DW_AT_low_pc, out var low) && low.IsAddress && !subprogram.Unit.IsTombstone(subprogram.Unit.ResolveAddress(low))
            ? FunctionAtCode(subprogram.Unit.ResolveAddress(low))
            : null;

    private NativeFunction? FunctionAtCode(ulong codeOffset)
    {
        _code.AddressesOf(codeOffset, _addresses);
        foreach (var address in _addresses)
        {
            if (_generated.TryFindFunction(address, out var function))
                return function;
        }

        return null;
    }
}
