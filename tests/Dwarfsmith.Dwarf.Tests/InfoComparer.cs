using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Dwarfsmith.Dwarf.Expressions;
using Dwarfsmith.Dwarf.Reading;

namespace Dwarfsmith.Dwarf.Tests;

/// <summary>Counts of what a comparison checked.</summary>
internal sealed class ComparisonStats
{
    public int Units { get; set; }

    public int Entries { get; set; }

    public int Attributes { get; set; }

    public int ValuesChecked { get; set; }

    public int ValuesUnchecked { get; set; }

    public int Expressions { get; set; }

    public int ListEntries { get; set; }

    public int LineRows { get; set; }

    public List<string> Mismatches { get; } = [];

    public void Fail(string message)
    {
        if (Mismatches.Count < 25)
            Mismatches.Add(message);
    }

    public override string ToString() =>
        $"{Units} units, {Entries} entries, {Attributes} attributes ({ValuesChecked} values checked, {ValuesUnchecked} unchecked), " +
        $"{Expressions} expressions, {ListEntries} list entries, {LineRows} line rows";
}

/// <summary>Compares what the reader yields for .debug_info with llvm-dwarfdump's <c>--debug-info --show-form</c>.</summary>
internal static partial class InfoComparer
{
    private static readonly HashSet<DwAt> s_locationAttributes =
    [
        DwAt.DW_AT_location, DwAt.DW_AT_frame_base, DwAt.DW_AT_data_member_location, DwAt.DW_AT_string_length,
        DwAt.DW_AT_use_location, DwAt.DW_AT_vtable_elem_location, DwAt.DW_AT_return_addr, DwAt.DW_AT_segment,
        DwAt.DW_AT_static_link, DwAt.DW_AT_GNU_call_site_value, DwAt.DW_AT_GNU_call_site_target, DwAt.DW_AT_call_value,
        DwAt.DW_AT_call_target, DwAt.DW_AT_call_data_location, DwAt.DW_AT_call_data_value, DwAt.DW_AT_data_location,
        DwAt.DW_AT_GNU_call_site_data_value, DwAt.DW_AT_call_target_clobbered, DwAt.DW_AT_GNU_call_site_target_clobbered,
    ];

    public static void Compare(DwarfContext context, string llvmText, ComparisonStats stats, bool typesSection = false)
    {
        var (llvmUnits, llvmEntries) = LlvmDump.ParseInfo(llvmText);
        var index = 0;
        var units = typesSection ? context.TypeUnits : context.Units;
        if (units.Count != llvmUnits.Count)
            stats.Fail($"unit count: reader {units.Count}, llvm {llvmUnits.Count}");
        for (var u = 0; u < Math.Min(units.Count, llvmUnits.Count); u++)
        {
            var unit = units[u];
            var lu = llvmUnits[u];
            stats.Units++;
            if (unit.Offset != lu.Offset || unit.Length != lu.Length || unit.Version != lu.Version || unit.AddressSize != lu.AddressSize
                || unit.AbbreviationOffset != lu.AbbrevOffset || (unit.OffsetSize == 8) != (lu.Format == "DWARF64")
                || (lu.UnitType is not null && lu.UnitType != unit.UnitType.ToString()))
                stats.Fail($"unit header at 0x{unit.Offset:X}: reader {unit}, llvm {lu}");
            var cursor = unit.Entries();
            while (cursor.MoveNext())
            {
                if (index >= llvmEntries.Count)
                {
                    stats.Fail($"reader has more entries than llvm at 0x{cursor.Offset:X}");
                    return;
                }

                var le = llvmEntries[index++];
                stats.Entries++;
                var tag = cursor.IsNull ? "NULL" : cursor.Tag.ToString();
                if (cursor.Offset != le.Offset || tag != le.Tag || cursor.Depth != le.Depth)
                {
                    stats.Fail($"entry: reader 0x{cursor.Offset:X} {tag} depth {cursor.Depth}, llvm 0x{le.Offset:X} {le.Tag} depth {le.Depth}");
                    return;
                }

                var i = 0;
                foreach (var a in cursor.Attributes)
                {
                    stats.Attributes++;
                    if (i >= le.Attributes.Count)
                    {
                        stats.Fail($"0x{cursor.Offset:X}: reader has extra attribute {a.Name}");
                        break;
                    }

                    var la = le.Attributes[i++];
                    if (a.Name.ToString() != la.Name || a.Form.ToString() != la.Form)
                    {
                        stats.Fail($"0x{cursor.Offset:X}: reader {a.Name} [{a.Form}], llvm {la.Name} [{la.Form}]");
                        continue;
                    }

                    CompareValue(unit, cursor, a, la.Value, stats);
                }

                if (i != le.Attributes.Count)
                    stats.Fail($"0x{cursor.Offset:X}: reader has {i} attributes, llvm {le.Attributes.Count}");
            }
        }

        if (index != llvmEntries.Count)
            stats.Fail($"entry count: reader {index}, llvm {llvmEntries.Count}");
    }

    private static void CompareValue(Unit unit, EntryCursor entry, AttributeValue a, string text, ComparisonStats stats)
    {
        string? problem = null;
        var checkedValue = true;
        var form = a.Form;
        if (Forms.IsString(form))
        {
            var s = unit.TryGetStringBytes(a, out var bytes) ? "\"" + Escape(bytes) + "\"" : null;
            if (s != text)
                problem = $"string {s}";
        }
        else if (Forms.IsReference(form))
        {
            ulong expected;
            if (form == DwForm.DW_FORM_ref_sig8)
                expected = a.Value;
            else if (unit.TryResolveReference(a, out var target))
                expected = (ulong)target;
            else
                expected = ulong.MaxValue;
            if (LeadingHex(text) != expected)
                problem = $"reference 0x{expected:X}";
        }
        else if (Forms.IsAddress(form))
        {
            var expected = unit.ResolveAddress(a);
            if (text == "dead code" ? !unit.IsTombstone(expected) : LeadingHex(text) != expected)
                problem = $"address 0x{expected:X}";
        }
        else if (form == DwForm.DW_FORM_flag_present)
        {
            if (text != "true")
                problem = "true";
        }
        else if (form == DwForm.DW_FORM_exprloc || (Forms.IsBlock(form) && !text.StartsWith("<0x", StringComparison.Ordinal)))
        {
            stats.Expressions++;
            problem = CompareExpression(unit, a.Memory, text);
        }
        else if (Forms.IsBlock(form) || form == DwForm.DW_FORM_data16)
        {
            var expected = $"<0x{a.Bytes.Length:x2}> " + string.Concat(a.Bytes.ToArray().Select(b => b.ToString("x2", CultureInfo.InvariantCulture) + " "));
            if (expected != text)
                problem = expected;
        }
        else if ((form is DwForm.DW_FORM_sec_offset or DwForm.DW_FORM_rnglistx) && a.Name is DwAt.DW_AT_ranges or DwAt.DW_AT_start_scope)
        {
            problem = CompareRanges(unit, a, text, stats);
        }
        else if ((form is DwForm.DW_FORM_sec_offset or DwForm.DW_FORM_loclistx) && s_locationAttributes.Contains(a.Name))
        {
            problem = CompareLocations(unit, a, text, stats);
        }
        else if (text.StartsWith("0x", StringComparison.Ordinal) && LeadingHex(text) is { } hex)
        {
            if (hex != a.Value)
                problem = $"0x{a.Value:X}";
        }
        else if (DecimalValue().Match(text) is { Success: true } dec)
        {
            var ok = form is DwForm.DW_FORM_sdata or DwForm.DW_FORM_implicit_const
                ? long.Parse(dec.Value, CultureInfo.InvariantCulture) == a.SignedValue
                : dec.Value.StartsWith('-') ? long.Parse(dec.Value, CultureInfo.InvariantCulture) == a.SignedValue
                : ulong.Parse(dec.Value, CultureInfo.InvariantCulture) == a.Value;
            if (!ok)
                problem = $"{a.Value} / {a.SignedValue}";
        }
        else if (a.Name is DwAt.DW_AT_decl_file or DwAt.DW_AT_call_file && text.StartsWith('"'))
        {
            var program = unit.ReadLineProgram();
            if (program is null || !program.TryGetFile(a.Value, out var file) || !text.TrimEnd('"').EndsWith(file.Path, StringComparison.Ordinal))
                problem = $"file {a.Value}";
        }
        else if (a.Name == DwAt.DW_AT_encoding && text.StartsWith("DW_ATE_", StringComparison.Ordinal))
        {
            if (((DwAte)a.Value).ToString() != text)
                problem = ((DwAte)a.Value).ToString();
        }
        else
        {
            checkedValue = false;
        }

        if (checkedValue)
            stats.ValuesChecked++;
        else
            stats.ValuesUnchecked++;
        if (problem is not null)
            stats.Fail($"0x{entry.Offset:X} {a.Name} [{a.Form}]: reader {problem}, llvm ({text})");
    }

    private static string? CompareExpression(Unit unit, ReadOnlyMemory<byte> expression, string llvm)
    {
        if (llvm.Contains("decoding error", StringComparison.Ordinal) || llvm.Contains("unknown", StringComparison.OrdinalIgnoreCase))
            return null;
        string mine;
        try
        {
            mine = DwarfExpression.Format(expression, unit.Encoding, unit);
        }
        catch (DwarfFormatException e)
        {
            return e.Message;
        }

        return NormalizeRegisters(mine) == NormalizeRegisters(llvm) ? null : $"expression {mine}";
    }

    private static string? CompareRanges(Unit unit, AttributeValue a, string text, ComparisonStats stats)
    {
        var offset = unit.RangeListOffset(a);
        var m = ListHeader().Match(text);
        if (!m.Success || (ulong)LlvmDump.Hex(m.Groups[1].Value) != offset)
            return $"range list offset 0x{offset:X}";
        var llvmRanges = RangeLine().Matches(text)
            .Where(x => !IsDead(unit, (ulong)LlvmDump.Hex(x.Groups[1].Value)))
            .Select(x => $"[0x{LlvmDump.Hex(x.Groups[1].Value):x}, 0x{LlvmDump.Hex(x.Groups[2].Value):x})").ToList();
        var all = unit.ReadRangeList(a).ReadAll().Where(e => e.HasRange).ToList();
        var live = all.Where(e => !e.IsTombstone).Select(e => $"[0x{e.Begin:x}, 0x{e.End:x})").ToList();
        var withDead = all.Select(e => $"[0x{e.Begin:x}, 0x{e.End:x})").ToList();
        stats.ListEntries += all.Count;
        return llvmRanges.SequenceEqual(live) || llvmRanges.SequenceEqual(withDead) ? null : "ranges " + string.Join(" ", live);
    }

    private static string? CompareLocations(Unit unit, AttributeValue a, string text, ComparisonStats stats)
    {
        var offset = unit.LocationListOffset(a);
        var m = ListHeader().Match(text);
        if (!m.Success || (ulong)LlvmDump.Hex(m.Groups[1].Value) != offset)
            return $"location list offset 0x{offset:X}";
        var llvmLines = text.Split('\n').Skip(1)
            .Where(l => l.StartsWith('<') || (l.StartsWith('[') && RangeLine().Match(l) is { Success: true } r && !IsDead(unit, (ulong)LlvmDump.Hex(r.Groups[1].Value))))
            .ToList();
        var entries = unit.ReadLocationList(a).ReadAll().Where(e => e.HasRange || e.IsDefault).ToList();
        stats.ListEntries += entries.Count;
        string Line(LocationListEntry e) =>
            (e.IsDefault ? "<default>" : $"[0x{e.Begin:x}, 0x{e.End:x})") + ": " + NormalizeRegisters(DwarfExpression.Format(e.Expression, unit.Encoding, unit));
        var llvmNormalized = llvmLines.Select(l =>
        {
            var r = RangeLine().Match(l);
            var rest = l[(l.IndexOf("):", StringComparison.Ordinal) is var k and >= 0 ? k + 3 : l.IndexOf(": ", StringComparison.Ordinal) + 2)..];
            var head = r.Success ? $"[0x{LlvmDump.Hex(r.Groups[1].Value):x}, 0x{LlvmDump.Hex(r.Groups[2].Value):x})" : "<default>";
            return head + ": " + NormalizeRegisters(rest);
        }).ToList();
        var live = entries.Where(e => !e.IsTombstone).Select(Line).ToList();
        stats.Expressions += entries.Count;
        if (Same(llvmNormalized, live) || Same(llvmNormalized, entries.Select(Line).ToList()))
            return null;
        return "locations " + string.Join(" | ", live) + " VS " + string.Join(" | ", llvmNormalized);
    }

    /// <summary>Equal lines; where llvm could not decode an expression (GNU typed ops) only the ranges are compared.</summary>
    private static bool Same(List<string> llvm, List<string> mine) =>
        llvm.Count == mine.Count && llvm.Zip(mine).All(p => p.First.Contains("<decoding error>", StringComparison.Ordinal)
            ? p.First[..p.First.IndexOf(':', StringComparison.Ordinal)] == p.Second[..p.Second.IndexOf(':', StringComparison.Ordinal)]
            : p.First == p.Second);

    /// <summary>An address llvm prints for a dead entry: a tombstone, or a tombstone base plus an offset (llvm does not wrap).</summary>
    private static bool IsDead(Unit unit, ulong begin) => begin > Tombstones.MaxAddress(unit.AddressSize) || unit.IsTombstone(begin);

    /// <summary>Drops register names (llvm knows x86's) and register numbers of regx/bregx so both sides compare.</summary>
    public static string NormalizeRegisters(string s)
    {
        s = BregName().Replace(s, "$1 ");
        s = RegName().Replace(s, "$1");
        s = RegxOperand().Replace(s, "$1 R");
        return s.Replace("DW_OP_bregx R ", "DW_OP_bregx R", StringComparison.Ordinal).Trim();
    }

    /// <summary>llvm's raw_ostream::write_escaped.</summary>
    public static string Escape(ReadOnlySpan<byte> bytes)
    {
        var sb = new StringBuilder();
        foreach (var b in bytes)
        {
            switch (b)
            {
                case (byte)'\\':
                    sb.Append(@"\\");
                    break;
                case (byte)'\t':
                    sb.Append(@"\t");
                    break;
                case (byte)'\n':
                    sb.Append(@"\n");
                    break;
                case (byte)'"':
                    sb.Append("\\\"");
                    break;
                default:
                    if (b is >= 0x20 and < 0x7F)
                        sb.Append((char)b);
                    else
                        sb.Append('\\').Append((char)('0' + ((b >> 6) & 7))).Append((char)('0' + ((b >> 3) & 7))).Append((char)('0' + (b & 7)));
                    break;
            }
        }

        return sb.ToString();
    }

    private static ulong? LeadingHex(string text)
    {
        var m = LeadingHexRegex().Match(text);
        return m.Success ? (ulong)LlvmDump.Hex(m.Groups[1].Value) : null;
    }

    [GeneratedRegex(@"^0x([0-9a-f]+)")]
    private static partial Regex LeadingHexRegex();

    [GeneratedRegex(@"^-?\d+$")]
    private static partial Regex DecimalValue();

    [GeneratedRegex(@"(?:^|list = )0x([0-9a-f]+)")]
    private static partial Regex ListHeader();

    [GeneratedRegex(@"\[0x([0-9a-f]+), 0x([0-9a-f]+)\)")]
    private static partial Regex RangeLine();

    [GeneratedRegex(@"(DW_OP_breg\d+) [A-Za-z][A-Za-z0-9_]*(?=[+-])")]
    private static partial Regex BregName();

    [GeneratedRegex(@"(DW_OP_reg\d+) [A-Za-z][A-Za-z0-9_]*")]
    private static partial Regex RegName();

    [GeneratedRegex(@"(DW_OP_regx|DW_OP_bregx|DW_OP_regval_type) (?:0x[0-9a-f]+|[A-Za-z][A-Za-z0-9_]*)")]
    private static partial Regex RegxOperand();
}
