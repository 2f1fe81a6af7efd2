using Dwarfsmith.Dwarf.Reading;
using Dwarfsmith.Dwarf.Writing;
using WriteValue = Dwarfsmith.Dwarf.Writing.AttributeValue;

namespace Dwarfsmith.Dwarf.Transform;

public sealed partial class DwarfTransform
{
    /// <summary>
    /// The default translation of one attribute into the write model. Strings, constants, flags and
    /// blocks are carried over (constants in their input form, so they read back the same); addresses,
    /// ranges, location lists and expressions go through the visitor's mapping hooks; references and
    /// line programs become ids; the unit's *_base attributes are left to the emitter.
    /// </summary>
    internal void TranslateAttribute(in Reading.AttributeValue a, AttributeWriter writer, UnitState state)
    {
        var unit = state.Input;
        var output = writer.Output;
        var name = a.Name;
        var form = a.Form;
        switch (name)
        {
            case DwAt.DW_AT_sibling:
                AddSibling(output);
                return;
            case DwAt.DW_AT_str_offsets_base:
                state.Output.UseStringIndex = state.Output.Version >= 5;
                return;
            case DwAt.DW_AT_rnglists_base or DwAt.DW_AT_loclists_base:
                state.Output.UseListIndex = state.Output.Version >= 5;
                return;
            case DwAt.DW_AT_addr_base or DwAt.DW_AT_GNU_addr_base or DwAt.DW_AT_GNU_ranges_base:
                return;
            case DwAt.DW_AT_stmt_list when unit.IsSectionOffset(a):
                output.Add(name, WriteValue.LineProgram(LineProgramFor(state, a.Value)));
                return;
            case DwAt.DW_AT_macros or DwAt.DW_AT_macro_info or DwAt.DW_AT_GNU_macros when unit.IsSectionOffset(a):
                TranslateMacros(a, output, state);
                return;
            case DwAt.DW_AT_macros or DwAt.DW_AT_macro_info or DwAt.DW_AT_GNU_macros:
                Warn($"{unit}: {name} left out: its {form} value is not a section offset");
                return;
            case DwAt.DW_AT_low_pc or DwAt.DW_AT_high_pc when TranslatePcPair(a, writer, state):
                return;
            case DwAt.DW_AT_ranges when unit.IsRangeList(a):
                SetContext(writer, name);
                TranslateRanges(a, output, state);
                return;
        }

        if (unit.IsLocationList(a))
        {
            TranslateLocationList(a, writer, state);
            return;
        }

        switch (form)
        {
            case DwForm.DW_FORM_addr or DwForm.DW_FORM_addrx or DwForm.DW_FORM_addrx1 or DwForm.DW_FORM_addrx2
                or DwForm.DW_FORM_addrx3 or DwForm.DW_FORM_addrx4 or DwForm.DW_FORM_GNU_addr_index:
            {
                if (form != DwForm.DW_FORM_addr && state.Output.Version >= 5)
                    state.Output.UseAddressIndex = true;
                ulong address = unit.ResolveAddress(a);
                var use = output == state.Output.Root && name == DwAt.DW_AT_low_pc ? AddressUse.UnitBase : AddressUse.Code;
                if (unit.IsTombstone(address))
                {
                    output.Add(name, WriteValue.Address(Tombstones.InOutput(address, state.Output.AddressSize)));
                    return;
                }

                SetContext(writer, name);
                if (_walk.Map(address, use).TryGetLowest(out ulong mapped))
                    output.Add(name, WriteValue.Address(mapped));
                return;
            }

            case DwForm.DW_FORM_string:
                output.Add(name, WriteValue.String(a.Memory, DwForm.DW_FORM_string));
                return;
            case DwForm.DW_FORM_line_strp:
                output.Add(name, unit.TryGetStringMemory(a, out var lineString) ? WriteValue.LineString(lineString) : default);
                return;
            case DwForm.DW_FORM_strp or DwForm.DW_FORM_strx or DwForm.DW_FORM_strx1 or DwForm.DW_FORM_strx2 or DwForm.DW_FORM_strx3
                or DwForm.DW_FORM_strx4 or DwForm.DW_FORM_GNU_str_index:
                if (form != DwForm.DW_FORM_strp && state.Output.Version >= 5)
                    state.Output.UseStringIndex = true;
                unit.TryGetStringMemory(a, out var str);
                output.Add(name, WriteValue.String(str));
                return;
            case DwForm.DW_FORM_ref1 or DwForm.DW_FORM_ref2 or DwForm.DW_FORM_ref4 or DwForm.DW_FORM_ref8 or DwForm.DW_FORM_ref_udata
                or DwForm.DW_FORM_ref_addr:
                if (!unit.TryResolveReference(a, out long target))
                    throw new DwarfFormatException($"{name} refers outside the section", unit.Section.Name, a.Offset);
                AddPendingReference(output, name, target);
                return;
            case DwForm.DW_FORM_ref_sig8:
                output.Add(name, WriteValue.TypeSignature(a.Value));
                return;
            case DwForm.DW_FORM_exprloc:
                AddExpression(a.Memory, writer, name, state);
                return;
            case DwForm.DW_FORM_block or DwForm.DW_FORM_block1 or DwForm.DW_FORM_block2 or DwForm.DW_FORM_block4:
                if (AttributeClasses.IsExprlocClass(name))
                    AddExpression(a.Memory, writer, name, state);
                else
                    output.Add(name, WriteValue.Block(a.Memory));
                return;
            case DwForm.DW_FORM_data16:
                output.Add(name, WriteValue.Data16(a.Memory));
                return;
            case DwForm.DW_FORM_flag or DwForm.DW_FORM_flag_present:
                output.Add(name, WriteValue.Flag(form == DwForm.DW_FORM_flag_present || a.Value != 0));
                return;
            case DwForm.DW_FORM_data1 or DwForm.DW_FORM_data2 or DwForm.DW_FORM_data4 or DwForm.DW_FORM_data8 or DwForm.DW_FORM_udata:
                output.Add(name, WriteValue.Unsigned(a.Value, form));
                return;
            case DwForm.DW_FORM_sdata:
                output.Add(name, WriteValue.Signed(a.SignedValue, form));
                return;
            case DwForm.DW_FORM_implicit_const:
                // Before DWARF 5 a constant goes in a data form, read as unsigned unless sdata.
                output.Add(name, state.Output.Version >= 5 ? WriteValue.Signed(a.SignedValue, form)
                    : a.SignedValue >= 0 ? WriteValue.Unsigned(a.Value) : WriteValue.Signed(a.SignedValue, DwForm.DW_FORM_sdata));
                return;
            case DwForm.DW_FORM_sec_offset:
                output.Add(name, WriteValue.SectionOffset(a.Value));
                return;
            case DwForm.DW_FORM_GNU_ref_alt or DwForm.DW_FORM_GNU_strp_alt or DwForm.DW_FORM_ref_sup4 or DwForm.DW_FORM_ref_sup8
                or DwForm.DW_FORM_strp_sup:
            {
                // Offsets into a supplementary file, which this pass does not change.
                int size = form switch { DwForm.DW_FORM_ref_sup4 => 4, DwForm.DW_FORM_ref_sup8 => 8, _ => unit.OffsetSize };
                var bytes = new byte[size];
                for (int i = 0; i < size; i++)
                    bytes[i] = (byte)(a.Value >> (8 * i));
                output.Add(name, WriteValue.Raw(form, bytes));
                return;
            }

            default:
                throw new NotSupportedException($"{unit}: {name} in {form} cannot be carried over");
        }
    }

    /// <summary>An exprloc attribute: its expression rewritten, or the location list the visitor made of it, or nothing when the visitor left it out.</summary>
    private void AddExpression(ReadOnlyMemory<byte> expression, AttributeWriter writer, DwAt name, UnitState state)
    {
        SetContext(writer, name);
        var bytes = RewriteExpression(expression, state, _walk, isAttribute: true, out var references, out var locationList, out bool leftOut);
        if (leftOut)
            return;
        writer.Output.Add(name, locationList is null ? WriteValue.Expression(bytes, 0, references) : WriteValue.LocationList(state.Output.AddLocationList(locationList)));
    }

    /// <summary>Tells the walk's hooks which entry and attribute they now translate for.</summary>
    internal void SetContext(AttributeWriter writer, DwAt name) =>
        _walk.Context = MappingContext.ForAttribute(writer.InputUnit, writer.Entry.Offset, writer.Entry.Tag, name);

    /// <summary>
    /// low_pc with high_pc: the range goes through <see cref="DwarfVisitor.MapRange"/> once; one
    /// output range keeps the pair (high_pc in its input class: address or length), several become
    /// DW_AT_ranges in low_pc's place, none drop both. False when the entry has no such pair.
    /// </summary>
    private bool TranslatePcPair(in Reading.AttributeValue a, AttributeWriter writer, UnitState state)
    {
        ref var pc = ref writer.Pc;
        if (!pc.Resolved)
        {
            pc.Resolved = true;
            pc.HasPair = writer.Entry.TryGetPcRange(out pc.Low, out pc.High) && pc.High >= pc.Low;
            if (pc.HasPair)
            {
                pc.IsTombstone = state.Input.IsTombstone(pc.Low);
                if (!pc.IsTombstone)
                {
                    SetContext(writer, DwAt.DW_AT_low_pc);
                    pc.Mapped = [.. _walk.MapRange(pc.Low, pc.High).Ranges];
                }
            }
        }

        if (!pc.HasPair)
            return false;
        var output = writer.Output;
        bool isLow = a.Name == DwAt.DW_AT_low_pc;
        if (isLow && Forms.IsAddressIndex(a.Form) && state.Output.Version >= 5)
            state.Output.UseAddressIndex = true;
        if (pc.IsTombstone)
        {
            // Dead code: the output's tombstone, and high_pc in its input class (a length reads as a constant).
            output.Add(a.Name, isLow || a.IsAddress
                ? WriteValue.Address(Tombstones.InOutput(isLow ? pc.Low : pc.High, state.Output.AddressSize))
                : WriteValue.Unsigned(a.Value, a.Form));
            return true;
        }

        var mapped = pc.Mapped!;
        if (mapped.Length == 1)
        {
            var range = mapped[0];
            output.Add(a.Name, isLow || a.IsAddress ? WriteValue.Address(isLow ? range.Begin : range.End) : WriteValue.Unsigned(range.End - range.Begin));
        }
        else if (mapped.Length > 1 && isLow)
        {
            var list = new RangeList();
            list.Ranges.AddRange(mapped);
            if (output == state.Output.Root)
                output.Add(DwAt.DW_AT_low_pc, WriteValue.Address(0));
            output.Add(DwAt.DW_AT_ranges, WriteValue.RangeList(state.Output.AddRangeList(list)));
        }

        return true;
    }

    private void TranslateRanges(in Reading.AttributeValue a, EntryBuilder output, UnitState state)
    {
        if (a.Form == DwForm.DW_FORM_rnglistx)
            state.Output.UseListIndex = state.Output.Version >= 5;
        var list = new RangeList();
        var cursor = state.Input.ReadRangeList(a);
        while (cursor.MoveNext())
        {
            var entry = cursor.Current;
            if (!entry.HasRange)
                continue;
            if (entry.IsTombstone)
            {
                bool startLength = entry.Kind is DwRle.DW_RLE_start_length or DwRle.DW_RLE_startx_length;
                var dead = DeadOffsets(entry.Kind == DwRle.DW_RLE_offset_pair, startLength, entry.Operand1, entry.Operand2, entry.Begin, entry.End, state.Input);
                list.Ranges.Add(new Writing.AddressRange(dead.Begin, dead.End) { IsDead = true });
                continue;
            }

            if (entry.End < entry.Begin)
                throw InvertedRange(state.Input.Version >= 5 ? DwarfSections.Rnglists : DwarfSections.Ranges, entry.Offset, entry.Begin, entry.End);
            foreach (var range in _walk.MapRange(entry.Begin, entry.End).Ranges)
                list.Ranges.Add(range);
        }

        output.Add(a.Name, WriteValue.RangeList(state.Output.AddRangeList(list)));
    }

    /// <summary>
    /// A tombstoned list entry as offsets from the tombstone, which the emitter writes in the output's
    /// own form (DWARF 4 and 5 mark dead code differently, and −1 as a DWARF 4 base reads as live code
    /// past the address space): an offset pair from a dead base keeps its offsets, a start and length
    /// becomes (0, length), and an entry whose own begin is the tombstone (a start and end, or a
    /// DWARF 4 pair such as wasm-ld's (−2, −2)) becomes (0, its length, or 0 when its end is no later).
    /// </summary>
    private static (ulong Begin, ulong End) DeadOffsets(bool isOffsetPair, bool isStartLength, ulong offset1, ulong offset2, ulong begin, ulong end, Unit unit)
    {
        if (isStartLength)
            return (0, offset2);
        if (isOffsetPair && offset1 < Tombstones.MaxAddress(unit.AddressSize) - 1)
            return (offset1, offset2);
        return (0, end > begin ? end - begin : 0);
    }

    private static DwarfFormatException InvertedRange(string section, long offset, ulong begin, ulong end) =>
        new($"list entry ends (0x{end:x}) before it begins (0x{begin:x})", section, offset);

    /// <summary>
    /// A location list: its output list is added to the unit here, in the walk's order, and its
    /// entries are translated here or on the worker.
    /// </summary>
    private void TranslateLocationList(in Reading.AttributeValue a, AttributeWriter writer, UnitState state)
    {
        var output = writer.Output;
        if (a.Form == DwForm.DW_FORM_loclistx)
            state.Output.UseListIndex = state.Output.Version >= 5;
        ulong offset = state.Input.LocationListOffset(a);
        var list = new LocationList();
        var context = MappingContext.ForAttribute(state.Input, writer.Entry.Offset, writer.Entry.Tag, a.Name);
        if (_locationsOnWorker)
        {
            // A bad offset then fails on the worker: still before any later step of the walk can (see Run).
            output.Add(a.Name, WriteValue.LocationList(state.Output.AddLocationList(list)));
            QueueLocationList(new PendingLocationList(list, offset, _expressionReferences.Count, context), state);
        }
        else
        {
            _walk.Context = context;
            FillLocationList(list, state.Input.ReadLocationList(offset), state, _walk);
            output.Add(a.Name, WriteValue.LocationList(state.Output.AddLocationList(list)));
        }
    }

    private void FillLocationList(LocationList list, LocationListCursor cursor, UnitState state, PassThread thread)
    {
        // Entries gather in a reused buffer and the list is then made at its exact size: most lists
        // have one to three entries, and a growing list would keep room for four or eight.
        var entries = thread.LocationEntries;
        entries.Clear();
        var sink = thread.Locations;
        while (cursor.MoveNext())
        {
            var entry = cursor.Current;
            if (!entry.HasRange && !entry.IsDefault)
                continue;
            sink.Start(entries, state);
            if (entry.IsTombstone)
            {
                var bytes = RewriteExpression(entry.Expression, state, thread, isAttribute: false, out var references, out _, out bool leftOut);
                if (leftOut)
                    continue;
                bool startLength = entry.Kind is DwLle.DW_LLE_start_length or DwLle.DW_LLE_startx_length;
                var dead = DeadOffsets(entry.Kind == DwLle.DW_LLE_offset_pair, startLength, entry.Operand1, entry.Operand2, entry.Begin, entry.End, state.Input);
                entries.Add(new Writing.LocationListEntry(dead.Begin, dead.End, bytes) { References = references, IsDead = true });
                continue;
            }

            if (entry.End < entry.Begin && !entry.IsDefault)
                throw InvertedRange(state.Input.Version >= 5 ? DwarfSections.Loclists : DwarfSections.Loc, entry.Offset, entry.Begin, entry.End);
            thread.Visitor.VisitLocation(entry, sink);
        }

        list.Entries.EnsureCapacity(entries.Count);
        for (int i = 0; i < entries.Count; i++)
            list.Entries.Add(entries[i]);
    }
}
