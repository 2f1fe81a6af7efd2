using Dwarfsmith.Dwarf;

namespace Dwarfsmith.Debugging.Symbols;

/// <summary>The code an entry covers: low_pc/high_pc or DW_AT_ranges, without dead-code tombstones.</summary>
public static class CodeRanges
{
    public static List<(ulong Begin, ulong End)> Of(Die die)
    {
        ArgumentNullException.ThrowIfNull(die);
        var ranges = new List<(ulong, ulong)>();
        if (die.TryGet(DwAt.DW_AT_ranges, out var list) && die.Unit.IsRangeList(list))
        {
            var cursor = die.Unit.ReadRangeList(list);
            while (cursor.MoveNext())
            {
                var entry = cursor.Current;
                if (entry.HasRange && !entry.IsTombstone && entry.End > entry.Begin)
                    ranges.Add((entry.Begin, entry.End));
            }

            return ranges;
        }

        if (die.TryGet(DwAt.DW_AT_low_pc, out var low) && low.IsAddress)
        {
            var begin = die.Unit.ResolveAddress(low);
            if (die.Unit.IsTombstone(begin))
                return ranges;
            ulong end = begin + 1;
            if (die.TryGet(DwAt.DW_AT_high_pc, out var high))
                end = high.IsAddress ? die.Unit.ResolveAddress(high) : begin + high.Value;
            if (end > begin)
                ranges.Add((begin, end));
        }

        return ranges;
    }

    public static bool Contains(Die die, ulong pc)
    {
        foreach (var (begin, end) in Of(die))
        {
            if (pc >= begin && pc < end)
                return true;
        }

        return false;
    }

    /// <summary>The first address of the entry's code (its entry pc), or null.</summary>
    public static ulong? Low(Die die)
    {
        var ranges = Of(die);
        return ranges.Count == 0 ? null : ranges.Min(r => r.Begin);
    }
}
