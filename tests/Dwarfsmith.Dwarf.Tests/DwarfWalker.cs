using System.Buffers;
using Dwarfsmith.Dwarf.Expressions;
using Dwarfsmith.Dwarf.Reading;

namespace Dwarfsmith.Dwarf.Tests;

/// <summary>Counts of a complete read.</summary>
internal sealed class WalkCounts
{
    public int Units { get; set; }

    public int Entries { get; set; }

    public int Attributes { get; set; }

    public int Expressions { get; set; }

    public int ListEntries { get; set; }

    public int LineRows { get; set; }

    public int AddressRanges { get; set; }

    public override string ToString() =>
        $"{Units} units, {Entries} entries, {Attributes} attributes, {Expressions} expressions, {ListEntries} list entries, {LineRows} line rows, {AddressRanges} aranges";
}

/// <summary>
/// Reads everything the library can read: every unit, entry and attribute (strings, references,
/// addresses resolved), every expression (decoded and re-encoded byte for byte), every range and
/// location list, every line program and .debug_aranges.
/// </summary>
internal static class DwarfWalker
{
    public static WalkCounts ReadEverything(DwarfContext context, Action<string>? roundTripFailure = null, bool format = false)
    {
        var counts = new WalkCounts();
        var buffer = new ArrayBufferWriter<byte>();
        foreach (var unit in context.Units.Concat(context.TypeUnits))
        {
            counts.Units++;
            var encoding = unit.Encoding;
            var cursor = unit.Entries();
            while (cursor.MoveNext())
            {
                counts.Entries++;
                if (cursor.IsNull)
                    continue;
                foreach (var a in cursor.Attributes)
                {
                    counts.Attributes++;
                    if (a.IsString)
                        _ = unit.GetString(a);
                    else if (a.IsReference)
                        _ = unit.TryResolveReference(a, out _);
                    else if (a.IsAddress)
                        _ = unit.ResolveAddress(a);
                    else if (a.Form == DwForm.DW_FORM_exprloc)
                    {
                        counts.Expressions++;
                        RoundTrip(a.Memory, encoding, unit.Section.Name, a.Offset, buffer, roundTripFailure);
                        if (format)
                            _ = DwarfExpression.Format(a.Memory, encoding, unit);
                    }
                    else if (a.Form == DwForm.DW_FORM_rnglistx || (a.Name == DwAt.DW_AT_ranges && a.Form == DwForm.DW_FORM_sec_offset))
                    {
                        var ranges = unit.ReadRangeList(a);
                        while (ranges.MoveNext())
                            counts.ListEntries++;
                    }
                    else if (a.Form == DwForm.DW_FORM_loclistx
                        || (a.Form == DwForm.DW_FORM_sec_offset && a.Name is DwAt.DW_AT_location or DwAt.DW_AT_frame_base
                            or DwAt.DW_AT_data_member_location or DwAt.DW_AT_GNU_call_site_value or DwAt.DW_AT_call_value))
                    {
                        var locations = unit.ReadLocationList(a);
                        while (locations.MoveNext())
                        {
                            counts.ListEntries++;
                            if (!locations.Current.Expression.IsEmpty)
                            {
                                counts.Expressions++;
                                var section = unit.Version >= 5 ? DwarfSections.Loclists : DwarfSections.Loc;
                                RoundTrip(locations.Current.Expression, encoding, section, locations.Current.ExpressionOffset, buffer, roundTripFailure);
                            }
                        }
                    }
                }

                _ = cursor.TryGetPcRange(out _, out _);
            }

            if (unit.ReadLineProgram() is { } program)
            {
                var rows = program.Rows();
                while (rows.MoveNext())
                    counts.LineRows++;
            }
        }

        // Line programs in section order, referenced or not.
        var line = context.Sections[DwarfSections.Line];
        ulong offset = 0;
        while (offset < (ulong)line.Length)
        {
            var program = context.ReadLineProgram(offset, context.Sections.AddressSize);
            _ = program.Sequences(program.ReadRows());
            offset = (ulong)program.EndOffset;
        }

        foreach (var table in context.ReadAddressRanges())
            counts.AddressRanges += table.Ranges.Count;
        return counts;
    }

    private static void RoundTrip(ReadOnlyMemory<byte> expression, UnitEncoding encoding, string section, long offset, ArrayBufferWriter<byte> buffer, Action<string>? failure)
    {
        buffer.Clear();
        var cursor = DwarfExpression.Decode(expression, encoding, section, offset);
        while (cursor.MoveNext())
            DwarfExpression.Encode(cursor.Current, encoding, buffer);
        if (failure is not null && !buffer.WrittenSpan.SequenceEqual(expression.Span))
            failure($"at 0x{offset:X} in {section}: {Convert.ToHexString(expression.Span)} re-encoded as {Convert.ToHexString(buffer.WrittenSpan)}");
    }
}
