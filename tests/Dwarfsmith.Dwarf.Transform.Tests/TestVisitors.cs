using Dwarfsmith.Dwarf.Reading;
using Dwarfsmith.Dwarf.Writing;

namespace Dwarfsmith.Dwarf.Transform.Tests;

/// <summary>Splits every code range in two at its midpoint: the output covers the same addresses.</summary>
internal sealed class SplitRangesVisitor : DwarfVisitor
{
    public override void MapRange(ulong begin, ulong end, RangeSink output)
    {
        ulong middle = begin + ((end - begin) / 2);
        if (middle == begin)
        {
            output.Add(begin, end);
            return;
        }

        output.Add(begin, middle);
        output.Add(middle, end);
    }
}

/// <summary>Writes every location-list entry twice: a list still means the same (the duplicate adds nothing).</summary>
internal sealed class DuplicateLocationsVisitor : DwarfVisitor
{
    public override void VisitLocation(in Reading.LocationListEntry entry, LocationSink output)
    {
        output.Keep(entry);
        output.Keep(entry);
    }
}

/// <summary>A deliberate change of meaning: every DW_AT_decl_line moves down by one.</summary>
internal sealed class ShiftDeclLineVisitor : DwarfVisitor
{
    public override void VisitAttribute(in Reading.AttributeValue attribute, AttributeWriter output)
    {
        if (attribute.Name == DwAt.DW_AT_decl_line)
            output.Write(attribute.Name, Writing.AttributeValue.Unsigned(attribute.Value + 1));
        else
            output.Keep();
    }
}

/// <summary>A deliberate change of meaning: every DW_AT_type points at the unit's first type entry instead.</summary>
internal sealed class RetargetTypesVisitor : DwarfVisitor
{
    private EntryBuilder? _firstType;

    public override void BeginUnit(Unit input, UnitBuilder output) => _firstType = null;

    public override void AfterAttributes(EntryCursor entry, EntryBuilder output)
    {
        if (_firstType is null && entry.Tag == DwTag.DW_TAG_base_type)
        {
            _firstType = output;
            return;
        }

        if (_firstType is not null && output.TryGet(DwAt.DW_AT_type, out var type) && type.EntryId != _firstType.Id)
            output.Set(DwAt.DW_AT_type, Writing.AttributeValue.Reference(_firstType));
    }
}

/// <summary>Drops one line row in every sequence (the second), a change the line-table comparison must see.</summary>
internal sealed class DropRowVisitor : DwarfVisitor
{
    public override void VisitLineSequence(LineSequenceInput sequence, LineSequenceSink output)
    {
        int index = 0;
        foreach (ref readonly var row in sequence.Rows)
        {
            if (index++ != 1)
                output.Keep(row);
        }

        output.EndSequence(sequence.EndAddress);
    }
}

/// <summary>Adds every row but never ends its sequences: the pass must close each one at its mapped end, once.</summary>
internal sealed class OpenSequencesVisitor : DwarfVisitor
{
    public override void VisitLineSequence(LineSequenceInput sequence, LineSequenceSink output)
    {
        foreach (ref readonly var row in sequence.Rows)
            output.Keep(row);
    }
}

/// <summary>Changes a line program's line_range after its rows went through the pass: too late, as the rows are already encoded.</summary>
internal sealed class LateLineHeaderVisitor : DwarfVisitor
{
    private readonly List<Writing.LineProgram> _programs = [];

    public override void VisitLineProgramHeader(Reading.LineProgram input, Writing.LineProgram output) => _programs.Add(output);

    public override void EndUnit(Reading.Unit input, Writing.UnitBuilder output)
    {
        foreach (var program in _programs)
            program.LineRange = 12;
    }
}

