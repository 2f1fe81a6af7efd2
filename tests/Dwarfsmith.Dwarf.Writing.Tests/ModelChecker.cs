using System.Globalization;
using System.Text;
using Xunit;

namespace Dwarfsmith.Dwarf.Writing.Tests;

/// <summary>
/// Checks emitted DWARF against the model it came from, through llvm-dwarfdump: --verify reports no
/// errors, and the dumped entries, attribute values (and pinned forms), list entries, line rows and
/// address ranges are exactly those of the model.
/// </summary>
internal static class ModelChecker
{
    private static readonly HashSet<string> s_synthetic =
        ["DW_AT_str_offsets_base", "DW_AT_addr_base", "DW_AT_rnglists_base", "DW_AT_loclists_base"];

    public static void Check(DwarfOutput output, string path)
    {
        DwarfTool.Verify(path);
        var units = DumpParser.ParseInfo(DwarfTool.Dump(path, "-v", "--debug-info"));
        var tables = DumpParser.ParseLines(DwarfTool.Dump(path, "--debug-line"));
        Assert.Equal(output.Units.Count, units.Count);
        Assert.Equal(output.LinePrograms.Count, tables.Count);
        for (int i = 0; i < tables.Count; i++)
            Assert.Equal(ExpectedRows(output.LinePrograms[i]), tables[i].Rows);

        var map = new Dictionary<EntryId, DumpedEntry>();
        for (int u = 0; u < units.Count; u++)
            Map(output.Units[u].Root, units[u].Root, map);
        var context = new Context(map, tables.Select(t => t.Offset).ToList());
        for (int u = 0; u < units.Count; u++)
            CheckEntry(output.Units[u], output.Units[u].Root, units[u].Root, context);

        if (output.GenerateAranges)
        {
            var aranges = DumpParser.ParseAranges(DwarfTool.Dump(path, "--debug-aranges"));
            var expected = new List<(long, List<(ulong, ulong)>)>();
            for (int u = 0; u < units.Count; u++)
            {
                var ranges = ExpectedAranges(output.Units[u]);
                if (ranges.Count > 0)
                    expected.Add((units[u].Offset, ranges));
            }

            Assert.Equal(expected.Select(e => (e.Item1, string.Join(" ", e.Item2))), aranges.Select(a => (a.CuOffset, string.Join(" ", a.Ranges))));
        }
    }

    public static List<DumpedRow> ExpectedRows(LineProgram program)
    {
        var rows = new List<DumpedRow>();
        foreach (var sequence in program.Sequences)
        {
            ulong file = 1, line = 1, column = 0, isa = 0;
            bool isStmt = program.DefaultIsStmt;
            foreach (var row in sequence.Rows)
            {
                rows.Add(new DumpedRow(row.Address, row.Line, row.Column, row.File, row.Isa, row.Discriminator,
                    Flags(row.IsStmt, row.BasicBlock, row.PrologueEnd, row.EpilogueBegin, false)));
                (file, line, column, isa, isStmt) = (row.File, row.Line, row.Column, row.Isa, row.IsStmt);
            }

            rows.Add(new DumpedRow(sequence.EndAddress, line, column, file, isa, 0, Flags(isStmt, false, false, false, true)));
        }

        return rows;
    }

    private static string Flags(bool isStmt, bool basicBlock, bool prologueEnd, bool epilogueBegin, bool endSequence) =>
        string.Join(' ', new[]
        {
            isStmt ? "is_stmt" : null, basicBlock ? "basic_block" : null, prologueEnd ? "prologue_end" : null,
            epilogueBegin ? "epilogue_begin" : null, endSequence ? "end_sequence" : null,
        }.Where(f => f is not null));

    private static List<(ulong, ulong)> ExpectedAranges(UnitBuilder unit)
    {
        var root = unit.Root;
        var ranges = new List<(ulong, ulong)>();
        if (root.TryGet(DwAt.DW_AT_low_pc, out var low) && root.TryGet(DwAt.DW_AT_high_pc, out var high))
            ranges.Add((low.Number, high.Kind == AttributeValueKind.Address ? high.Number : low.Number + high.Number));
        else if (root.TryGet(DwAt.DW_AT_ranges, out var list))
            ranges.AddRange(unit.GetRangeList(list.RangeListId).Ranges.Select(r => (r.Begin, r.End)));
        ranges.RemoveAll(r => r.Item2 <= r.Item1 || r.Item1 >= 0xFFFFFFFE);
        return ranges;
    }

    private static void Map(EntryBuilder model, DumpedEntry dumped, Dictionary<EntryId, DumpedEntry> map)
    {
        map[model.Id] = dumped;
        Assert.Equal(model.Children.Count, dumped.Children.Count);
        for (int i = 0; i < model.Children.Count; i++)
            Map(model.Children[i], dumped.Children[i], map);
    }

    private sealed record Context(Dictionary<EntryId, DumpedEntry> Map, List<long> LineTableOffsets);

    private static void CheckEntry(UnitBuilder unit, EntryBuilder model, DumpedEntry dumped, Context context)
    {
        Assert.Equal(model.Tag.ToString(), dumped.Tag);
        var attributes = dumped.Attributes.Where(a => model != unit.Root || unit.Version < 5 || !s_synthetic.Contains(a.Name)).ToList();
        Assert.Equal(model.Attributes.Select(a => Name(a.Name)), attributes.Select(a => a.Name));
        for (int i = 0; i < attributes.Count; i++)
        {
            try
            {
                CheckValue(unit, model.Attributes[i].Value, attributes[i], context);
            }
            catch (Exception ex) when (ex is Xunit.Sdk.XunitException or FormatException or KeyNotFoundException)
            {
                throw new Xunit.Sdk.XunitException($"{model} {attributes[i].Name} [{attributes[i].Form}] ({attributes[i].Text}) vs {model.Attributes[i].Value}: {ex.Message}");
            }
        }

        for (int i = 0; i < model.Children.Count; i++)
            CheckEntry(unit, model.Children[i], dumped.Children[i], context);
    }

    private static string Name(DwAt name) => Enum.IsDefined(name) ? name.ToString() : $"DW_AT_0x{(ushort)name:x}";

    private static void CheckValue(UnitBuilder unit, AttributeValue value, DumpedAttribute dumped, Context context)
    {
        string text = dumped.Text;
        if (value.Form != 0)
            Assert.Equal(value.Form.ToString(), dumped.Form);
        switch (value.Kind)
        {
            case AttributeValueKind.String:
            case AttributeValueKind.LineString:
                Assert.Equal(Encoding.UTF8.GetString(value.Data.Span), Quoted(text));
                break;
            case AttributeValueKind.Address:
                Assert.Equal(value.Number, LastHex(text));
                break;
            case AttributeValueKind.Unsigned:
            case AttributeValueKind.Signed:
                CheckConstant(value, dumped);
                break;
            case AttributeValueKind.Flag:
                Assert.Equal(value.Number != 0, text is "true" or "0x01");
                break;
            case AttributeValueKind.Block:
                Assert.Equal(Convert.ToHexString(value.Data.Span), BlockHex(text));
                break;
            case AttributeValueKind.Expression:
                if (text.StartsWith('<'))
                    Assert.Equal(Convert.ToHexString(value.Data.Span), BlockHex(text));
                else
                    Assert.Equal(Disassemble(value.Data.Span, unit.AddressSize), text);
                break;
            case AttributeValueKind.Reference:
            {
                var target = context.Map[value.EntryId];
                int brace = text.IndexOf("{0x", StringComparison.Ordinal);
                ulong offset = brace >= 0 ? DumpParser.Hex(text[(brace + 1)..text.IndexOf('}', brace)]) : FirstHex(text);
                Assert.Equal((ulong)target.Offset, offset);
                Assert.Equal(value.EntryId.Unit != unit.Index || value.Form == DwForm.DW_FORM_ref_addr, dumped.Form == "DW_FORM_ref_addr");
                break;
            }

            case AttributeValueKind.LineProgram:
                Assert.Equal((ulong)context.LineTableOffsets[value.LineProgramId.Index], FirstHex(text));
                break;
            case AttributeValueKind.RangeList:
            {
                // llvm-dwarfdump leaves out .debug_ranges tombstones when it resolves DW_AT_ranges, and
                // the writer drops [0, 0), which .debug_ranges cannot express.
                var expected = unit.GetRangeList(value.RangeListId).Ranges
                    .Where(r => unit.Version >= 5 || (r.Begin < 0xFFFFFFFE && (r.Begin, r.End) != (0, 0))).Select(r => (r.Begin, r.End));
                Assert.Equal(expected, DumpParser.Ranges(text).Select(r => (r.Begin, r.End)));
                break;
            }

            case AttributeValueKind.LocationList:
            {
                var expected = unit.GetLocationList(value.LocationListId).Entries
                    .Select(e => (e.Begin, e.End, Disassemble(e.Expression.Span, unit.AddressSize)));
                Assert.Equal(expected, DumpParser.Ranges(text).Select(r => (r.Begin, r.End, r.Text.TrimEnd(')'))));
                break;
            }

            case AttributeValueKind.SectionOffset:
            case AttributeValueKind.TypeSignature:
                Assert.Equal(value.Number, FirstHex(text));
                break;
            case AttributeValueKind.Data16:
                Assert.Equal(Convert.ToHexString(value.Data.Span), text.StartsWith('<') ? BlockHex(text) : text.ToUpperInvariant());
                break;
            case AttributeValueKind.Raw:
            {
                ulong expected = 0;
                for (int i = value.Data.Length - 1; i >= 0; i--)
                    expected = (expected << 8) | value.Data.Span[i];
                Assert.Equal(expected, FirstHex(text));
                break;
            }

            default:
                throw new Xunit.Sdk.XunitException($"unchecked kind {value.Kind}");
        }
    }

    private static void CheckConstant(AttributeValue value, DumpedAttribute dumped)
    {
        string text = dumped.Text;
        if (text.StartsWith("DW_ATE_", StringComparison.Ordinal))
        {
            Assert.Equal(value.Number, (ulong)Enum.Parse<DwAte>(text));
            return;
        }

        if (text.StartsWith("DW_LANG_", StringComparison.Ordinal))
            return; // no language table here; the form and presence were checked
        ulong bits = text.StartsWith("0x", StringComparison.Ordinal)
            ? DumpParser.Hex(text)
            : (ulong)long.Parse(text, CultureInfo.InvariantCulture);
        int size = dumped.Form switch { "DW_FORM_data1" => 1, "DW_FORM_data2" => 2, "DW_FORM_data4" => 4, _ => 8 };
        ulong mask = size == 8 ? ulong.MaxValue : (1UL << (8 * size)) - 1;
        Assert.Equal(value.Number & mask, bits & mask);
    }

    private static string Quoted(string text)
    {
        int first = text.IndexOf('"');
        int last = text.LastIndexOf('"');
        Assert.True(first >= 0 && last > first, $"no string in {text}");
        return text[(first + 1)..last];
    }

    private static ulong FirstHex(string text)
    {
        int at = text.IndexOf("0x", StringComparison.Ordinal);
        int end = at + 2;
        while (end < text.Length && Uri.IsHexDigit(text[end]))
            end++;
        return DumpParser.Hex(text[at..end]);
    }

    private static ulong LastHex(string text)
    {
        int at = text.LastIndexOf("0x", StringComparison.Ordinal);
        int end = at + 2;
        while (end < text.Length && Uri.IsHexDigit(text[end]))
            end++;
        return DumpParser.Hex(text[at..end]);
    }

    private static string BlockHex(string text) =>
        string.Concat(text[(text.IndexOf('>') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToUpperInvariant();

    /// <summary>Renders the few operations the tests use the way llvm-dwarfdump prints them.</summary>
    public static string Disassemble(ReadOnlySpan<byte> bytes, int addressSize)
    {
        var parts = new List<string>();
        int i = 0;
        while (i < bytes.Length)
        {
            byte op = bytes[i++];
            switch (op)
            {
                case 0x03:
                    ulong address = 0;
                    for (int b = addressSize - 1; b >= 0; b--)
                        address = (address << 8) | bytes[i + b];
                    i += addressSize;
                    parts.Add($"DW_OP_addr 0x{address:x}");
                    break;
                case >= 0x30 and <= 0x4f:
                    parts.Add($"DW_OP_lit{op - 0x30}");
                    break;
                case 0x91:
                    parts.Add($"DW_OP_fbreg {ReadSleb(bytes, ref i)}");
                    break;
                case 0x9f:
                    parts.Add("DW_OP_stack_value");
                    break;
                case 0xED:
                    byte kind = bytes[i++];
                    ulong index = kind == 3 ? BitConverter.ToUInt32(bytes[i..(i + 4)]) : (ulong)ReadSleb(bytes, ref i);
                    if (kind == 3)
                        i += 4;
                    parts.Add($"DW_OP_WASM_location 0x{kind:x} 0x{index:x}");
                    break;
                default:
                    throw new NotSupportedException($"test disassembler: opcode 0x{op:x2}");
            }
        }

        return string.Join(", ", parts);
    }

    private static long ReadSleb(ReadOnlySpan<byte> bytes, ref int i)
    {
        long result = 0;
        int shift = 0;
        byte b;
        do
        {
            b = bytes[i++];
            result |= (long)(b & 0x7F) << shift;
            shift += 7;
        }
        while ((b & 0x80) != 0);
        if (shift < 64 && (b & 0x40) != 0)
            result |= -1L << shift;
        return result;
    }
}
