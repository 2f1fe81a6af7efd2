using Dwarfsmith.Dwarf.Reading;
using Dwarfsmith.Wasm;
using Dwarfsmith.Wasm.Compaction;

namespace Dwarfsmith.Tools.PostLink;

/// <summary>How many of the input's line-table rows the output has at their mapped addresses.</summary>
/// <param name="Rows">Rows of live code in the input (end_sequence rows included).</param>
/// <param name="Kept">Those found in the output's line table of the same unit, at the mapped address, with the same file, line, column and flags.</param>
public sealed record LineRowAudit(long Rows, long Kept)
{
    /// <summary>Compares the line tables of two modules, unit by unit, through <paramref name="map"/>.</summary>
    public static LineRowAudit Of(WasmModule input, WasmModule output, CodeOffsetMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        var before = LineTables(input);
        var after = LineTables(output);
        long rows = 0, kept = 0;
        for (int table = 0; table < before.Count; table++)
        {
            // OpcodeOffset (where in .debug_line the row was made) takes part in a row's equality: leave it out.
            var found = table < after.Count ? after[table].Rows.Select(r => r with { OpcodeOffset = 0 }).ToHashSet() : [];
            foreach (var sequence in before[table].Sequences)
            {
                if (sequence.IsTombstone)
                    continue;
                for (int i = sequence.Start; i < sequence.Start + sequence.Count; i++)
                {
                    var row = before[table].Rows[i];
                    var moved = row with { Address = row.EndSequence ? map.MapEnd(row.Address) : map.MapStart(row.Address), OpcodeOffset = 0 };
                    rows++;
                    if (found.Contains(moved))
                        kept++;
                }
            }
        }
        return new LineRowAudit(rows, kept);
    }

    private static List<(List<LineRow> Rows, List<LineSequence> Sequences)> LineTables(WasmModule module)
    {
        var tables = new List<(List<LineRow>, List<LineSequence>)>();
        var seen = new HashSet<ulong>();
        var context = new DwarfContext(DwarfContainers.FromWasm(module));
        foreach (var unit in context.Units)
        {
            if (unit.StmtList is not { } offset || !seen.Add(offset) || unit.ReadLineProgram() is not { } program)
                continue;
            var rows = program.ReadRows();
            tables.Add((rows, program.Sequences(rows)));
        }
        return tables;
    }
}
