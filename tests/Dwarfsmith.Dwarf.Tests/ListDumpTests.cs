using System.Text.RegularExpressions;
using Dwarfsmith.Dwarf.Expressions;
using Dwarfsmith.Dwarf.Reading;
using Dwarfsmith.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace Dwarfsmith.Dwarf.Tests;

/// <summary>
/// Raw list entries (offset, kind, operands, expression) agree with llvm-dwarfdump-22's section dumps:
/// <c>-v --debug-rnglists</c>, <c>-v --debug-loclists</c>, <c>--debug-ranges</c>, <c>--debug-loc</c>.
/// gcc's lists are left out here: they interleave location views that llvm's section dumps misread
/// (they are checked through --debug-info, which follows the references). Section dumps know no unit,
/// so base type references print as raw offsets on both sides.
/// </summary>
public partial class ListDumpTests(ITestOutputHelper output)
{
    public static IEnumerable<object[]> Variants => DwarfInputs.Variants().Where(v => (Producer)v[1] != Producer.HostGcc);

    [Theory]
    [MemberData(nameof(Variants))]
    public void Raw_list_entries_match_llvm_dwarfdump(string program, Producer producer, OptLevel opt, int dwarfVersion)
    {
        var path = DwarfInputs.Build(program, producer, opt, dwarfVersion);
        var context = new DwarfContext(DwarfInputs.Load(path));
        var failures = new List<string>();
        var compared = 0;
        var v5 = context.Units.FirstOrDefault(u => u.Version >= 5);
        var v4 = context.Units.FirstOrDefault(u => u.Version < 5);
        if (v5 is not null && context.Sections.Contains(DwarfSections.Rnglists))
            compared += CompareRnglists(v5, LlvmDump.Run(path, "-v", "--debug-rnglists"), failures);
        if (v5 is not null && context.Sections.Contains(DwarfSections.Loclists))
            compared += CompareLoclists(v5, LlvmDump.Run(path, "-v", "--debug-loclists"), failures);
        if (v4 is not null && context.Sections.Contains(DwarfSections.Ranges))
            compared += CompareRanges(v4, LlvmDump.Run(path, "--debug-ranges"), failures);
        if (v4 is not null && context.Sections.Contains(DwarfSections.Loc))
            compared += CompareLoc(v4, LlvmDump.Run(path, "--debug-loc"), failures);
        output.WriteLine($"{compared} raw list entries compared");
        Assert.True(failures.Count == 0, string.Join('\n', failures.Take(20)));
    }

    private static int CompareRnglists(Unit unit, string text, List<string> failures)
    {
        var count = 0;
        RangeListCursor? cursor = null;
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith("ranges:", StringComparison.Ordinal))
            {
                cursor = null;
                continue;
            }

            var m = RleLine().Match(line);
            if (!m.Success)
                continue;
            var offset = LlvmDump.Hex(m.Groups[1].Value);
            cursor ??= unit.ReadRangeList((ulong)offset);
            count++;
            if (!cursor.MoveNext())
            {
                failures.Add($"rnglists 0x{offset:X}: reader ended early");
                cursor = null;
                continue;
            }

            var e = cursor.Current;
            var ops = Numbers(m.Groups[3].Value);
            var mine = Operands(e.Kind == DwRle.DW_RLE_end_of_list ? 0 : e.Kind is DwRle.DW_RLE_base_address or DwRle.DW_RLE_base_addressx ? 1 : 2, e.Operand1, e.Operand2);
            if (e.Offset != offset || e.Kind.ToString() != m.Groups[2].Value || !mine.SequenceEqual(ops))
                failures.Add($"rnglists 0x{offset:X}: reader {e}, llvm {line}");
            if (e.Kind == DwRle.DW_RLE_end_of_list)
                cursor = null;
        }

        return count;
    }

    private static int CompareLoclists(Unit unit, string text, List<string> failures)
    {
        var count = 0;
        LocationListCursor cursor = default;
        bool open = false;
        foreach (var line in text.Split('\n'))
        {
            var start = ListStart().Match(line);
            if (start.Success)
            {
                cursor = unit.ReadLocationList((ulong)LlvmDump.Hex(start.Groups[1].Value));
                open = true;
                continue;
            }

            var m = LleLine().Match(line);
            if (!m.Success || !open)
                continue;
            count++;
            if (!cursor.MoveNext())
            {
                failures.Add($"loclists list 0x{cursor.ListOffset:X}: reader ended early");
                open = false;
                continue;
            }

            var e = cursor.Current;
            var n = e.Kind switch
            {
                DwLle.DW_LLE_end_of_list or DwLle.DW_LLE_default_location => 0,
                DwLle.DW_LLE_base_address or DwLle.DW_LLE_base_addressx => 1,
                _ => 2,
            };
            var problem = e.Kind.ToString() != m.Groups[1].Value || !Operands(n, e.Operand1, e.Operand2).SequenceEqual(Numbers(m.Groups[2].Value));
            var llvmExpression = m.Groups[3].Success ? m.Groups[3].Value.Trim() : "";
            if (!problem && llvmExpression.Length > 0 && !llvmExpression.Contains("decoding error", StringComparison.Ordinal))
            {
                var mine = DwarfExpression.Format(e.Expression, unit.Encoding);
                problem = InfoComparer.NormalizeRegisters(mine) != InfoComparer.NormalizeRegisters(llvmExpression);
            }

            if (problem)
                failures.Add($"loclists entry 0x{e.Offset:X}: reader {e.Kind} 0x{e.Operand1:x} 0x{e.Operand2:x} {DwarfExpression.Format(e.Expression, unit.Encoding)}, llvm {line.Trim()}");
        }

        return count;
    }

    private static int CompareRanges(Unit unit, string text, List<string> failures)
    {
        var count = 0;
        RangeListCursor? cursor = null;
        long current = -1;
        foreach (var line in text.Split('\n'))
        {
            var m = LegacyRangeLine().Match(line);
            if (!m.Success)
                continue;
            var offset = LlvmDump.Hex(m.Groups[1].Value);
            if (offset != current || cursor is null)
            {
                current = offset;
                cursor = unit.ReadRangeList((ulong)offset);
            }

            count++;
            if (!cursor.MoveNext())
            {
                failures.Add($"ranges 0x{offset:X}: reader ended early");
                continue;
            }

            var e = cursor.Current;
            bool ok;
            if (m.Groups[2].Value == "<End of list>")
            {
                ok = e.Kind == DwRle.DW_RLE_end_of_list;
            }
            else
            {
                var begin = (ulong)LlvmDump.Hex(m.Groups[2].Value);
                var end = (ulong)LlvmDump.Hex(m.Groups[3].Value);
                ok = e.Kind == DwRle.DW_RLE_base_address
                    ? begin == Tombstones.MaxAddress(unit.AddressSize) && end == e.Operand1
                    : e.Kind == DwRle.DW_RLE_offset_pair && e.Operand1 == begin && e.Operand2 == end;
            }

            if (!ok)
                failures.Add($"ranges 0x{offset:X}: reader {e}, llvm {line}");
        }

        return count;
    }

    private static int CompareLoc(Unit unit, string text, List<string> failures)
    {
        var count = 0;
        List<LocationListEntry>? entries = null;
        var index = 0;
        foreach (var line in text.Split('\n'))
        {
            var start = ListStart().Match(line);
            if (start.Success)
            {
                entries = unit.ReadLocationList((ulong)LlvmDump.Hex(start.Groups[1].Value)).ReadAll()
                    .Where(e => e.Kind != DwLle.DW_LLE_end_of_list).ToList();
                index = 0;
                continue;
            }

            var m = LegacyLocLine().Match(line);
            if (!m.Success || entries is null)
                continue;
            count++;
            if (index >= entries.Count)
            {
                failures.Add($"loc: reader has fewer entries than llvm at {line}");
                continue;
            }

            var e = entries[index++];
            var a = (ulong)LlvmDump.Hex(m.Groups[1].Value);
            var b = (ulong)LlvmDump.Hex(m.Groups[2].Value);
            var expression = InfoComparer.NormalizeRegisters(DwarfExpression.Format(e.Expression, unit.Encoding));
            var llvmExpression = m.Groups[3].Value.Trim();
            if (e.Operand1 != a || e.Operand2 != b
                || (!llvmExpression.Contains("decoding error", StringComparison.Ordinal) && expression != InfoComparer.NormalizeRegisters(llvmExpression)))
                failures.Add($"loc entry 0x{e.Offset:X}: reader 0x{e.Operand1:x} 0x{e.Operand2:x} {expression}, llvm {line.Trim()}");
        }

        return count;
    }

    private static List<ulong> Operands(int count, ulong a, ulong b) => count switch
    {
        0 => [],
        1 => [a],
        _ => [a, b],
    };

    private static List<ulong> Numbers(string text) =>
        HexNumber().Matches(text).Select(x => (ulong)LlvmDump.Hex(x.Value)).ToList();

    [GeneratedRegex(@"^0x([0-9a-f]+): \[(DW_RLE_\w+)\s*\]:?([^=]*)")]
    private static partial Regex RleLine();

    [GeneratedRegex(@"^0x([0-9a-f]+): ?$")]
    private static partial Regex ListStart();

    [GeneratedRegex(@"^\s+(DW_LLE_\w+)\s+\(([^)]*)\)(?::\s*(.*))?$")]
    private static partial Regex LleLine();

    [GeneratedRegex(@"^([0-9a-f]{8}) (<End of list>|[0-9a-f]+) ?([0-9a-f]+)?$")]
    private static partial Regex LegacyRangeLine();

    [GeneratedRegex(@"^\s+\(0x([0-9a-f]+), 0x([0-9a-f]+)\): (.*)$")]
    private static partial Regex LegacyLocLine();

    [GeneratedRegex(@"0x[0-9a-f]+")]
    private static partial Regex HexNumber();
}
