using System.Globalization;
using System.Text.RegularExpressions;

namespace Dwarfsmith.Dwarf.Writing.Tests;

internal sealed record DumpedAttribute(string Name, string Form, string Text);

internal sealed class DumpedEntry
{
    public required long Offset { get; init; }

    public required string Tag { get; init; }

    public List<DumpedAttribute> Attributes { get; } = [];

    public List<DumpedEntry> Children { get; } = [];
}

internal sealed record DumpedUnit(long Offset, string Header, DumpedEntry Root);

internal sealed record DumpedRow(ulong Address, ulong Line, ulong Column, ulong File, ulong Isa, ulong Discriminator, string Flags);

internal sealed record DumpedLineTable(long Offset, List<DumpedRow> Rows);

internal sealed record DumpedAranges(long CuOffset, List<(ulong Begin, ulong End)> Ranges);

/// <summary>Parses llvm-dwarfdump's text output (-v --debug-info, --debug-line, --debug-aranges).</summary>
internal static partial class DumpParser
{
    [GeneratedRegex(@"^0x([0-9a-f]+): (Compile|Type|Partial|Skeleton) Unit: (.*)$")]
    private static partial Regex UnitHeader();

    [GeneratedRegex(@"^0x([0-9a-f]+):( +)(DW_TAG_\w+|NULL)")]
    private static partial Regex EntryLine();

    [GeneratedRegex(@"^\s+(DW_AT_\w+) \[(DW_FORM_\w+)\]\s+\((.*)$")]
    private static partial Regex AttributeLine();

    [GeneratedRegex(@"^debug_line\[0x([0-9a-f]+)\]")]
    private static partial Regex LineTableHeader();

    [GeneratedRegex(@"^0x([0-9a-f]{16})\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*(.*)$")]
    private static partial Regex RowLine();

    [GeneratedRegex(@"^Address Range Header: .*cu_offset = 0x([0-9a-f]+)")]
    private static partial Regex ArangesHeader();

    [GeneratedRegex(@"\[0x([0-9a-f]+), 0x([0-9a-f]+)\)")]
    private static partial Regex Range();

    public static List<DumpedUnit> ParseInfo(string text)
    {
        var units = new List<DumpedUnit>();
        var stack = new List<DumpedEntry>();
        DumpedAttribute? pending = null;
        DumpedEntry? pendingOwner = null;
        long unitOffset = -1;
        string unitHeader = "";

        void Flush()
        {
            if (pending is not null)
            {
                string value = pending.Text.TrimEnd();
                if (value.EndsWith(')'))
                    value = value[..^1];
                pendingOwner!.Attributes.Add(pending with { Text = value });
                pending = null;
            }
        }

        foreach (string line in text.Split('\n'))
        {
            var unitMatch = UnitHeader().Match(line);
            if (unitMatch.Success)
            {
                Flush();
                unitOffset = long.Parse(unitMatch.Groups[1].Value, NumberStyles.HexNumber);
                unitHeader = unitMatch.Groups[3].Value;
                stack.Clear();
                continue;
            }

            var entryMatch = EntryLine().Match(line);
            if (entryMatch.Success)
            {
                Flush();
                int depth = (entryMatch.Groups[2].Value.Length - 1) / 2;
                string tag = entryMatch.Groups[3].Value;
                if (tag == "NULL")
                    continue;
                var entry = new DumpedEntry { Offset = long.Parse(entryMatch.Groups[1].Value, NumberStyles.HexNumber), Tag = tag };
                if (depth == 0)
                {
                    units.Add(new DumpedUnit(unitOffset, unitHeader, entry));
                    stack.Clear();
                }
                else
                {
                    stack[depth - 1].Children.Add(entry);
                    stack.RemoveRange(depth, stack.Count - depth);
                }

                stack.Add(entry);
                continue;
            }

            var attributeMatch = AttributeLine().Match(line);
            if (attributeMatch.Success)
            {
                Flush();
                pending = new DumpedAttribute(attributeMatch.Groups[1].Value, attributeMatch.Groups[2].Value, attributeMatch.Groups[3].Value);
                pendingOwner = stack[^1];
                continue;
            }

            if (pending is not null && line.Trim().Length > 0)
                pending = pending with { Text = pending.Text + "\n" + line.Trim() };
            else
                Flush();
        }

        Flush();
        return units;
    }

    public static List<DumpedLineTable> ParseLines(string text)
    {
        var tables = new List<DumpedLineTable>();
        foreach (string line in text.Split('\n'))
        {
            var header = LineTableHeader().Match(line);
            if (header.Success)
            {
                tables.Add(new DumpedLineTable(long.Parse(header.Groups[1].Value, NumberStyles.HexNumber), []));
                continue;
            }

            var row = RowLine().Match(line.Trim());
            if (row.Success)
            {
                tables[^1].Rows.Add(new DumpedRow(
                    ulong.Parse(row.Groups[1].Value, NumberStyles.HexNumber),
                    ulong.Parse(row.Groups[2].Value, CultureInfo.InvariantCulture),
                    ulong.Parse(row.Groups[3].Value, CultureInfo.InvariantCulture),
                    ulong.Parse(row.Groups[4].Value, CultureInfo.InvariantCulture),
                    ulong.Parse(row.Groups[5].Value, CultureInfo.InvariantCulture),
                    ulong.Parse(row.Groups[6].Value, CultureInfo.InvariantCulture),
                    row.Groups[8].Value.Trim()));
            }
        }

        return tables;
    }

    public static List<DumpedAranges> ParseAranges(string text)
    {
        var sets = new List<DumpedAranges>();
        foreach (string line in text.Split('\n'))
        {
            var header = ArangesHeader().Match(line);
            if (header.Success)
            {
                sets.Add(new DumpedAranges(long.Parse(header.Groups[1].Value, NumberStyles.HexNumber), []));
                continue;
            }

            var range = Range().Match(line);
            if (range.Success && line.StartsWith('[') && sets.Count > 0)
                sets[^1].Ranges.Add((Hex(range.Groups[1].Value), Hex(range.Groups[2].Value)));
        }

        return sets;
    }

    /// <summary>The [begin, end) ranges printed in a list value, with the text after each.</summary>
    public static List<(ulong Begin, ulong End, string Text)> Ranges(string text)
    {
        var ranges = new List<(ulong, ulong, string)>();
        foreach (string line in text.Split('\n'))
        {
            if (line.StartsWith("<default>: ", StringComparison.Ordinal))
            {
                ranges.Add((0, 0, line["<default>: ".Length..]));
                continue;
            }

            var match = Range().Match(line);
            if (match.Success)
                ranges.Add((Hex(match.Groups[1].Value), Hex(match.Groups[2].Value), line[(match.Index + match.Length)..].TrimStart(':', ' ')));
        }

        return ranges;
    }

    public static ulong Hex(string text) => ulong.Parse(text.StartsWith("0x", StringComparison.Ordinal) ? text[2..] : text, NumberStyles.HexNumber);
}
