using Dwarfsmith.Dwarf.Reading;

namespace Dwarfsmith.Aot.NativeDwarf;

/// <summary>
/// Native code [<see cref="Start"/>, <see cref="End"/>) translated from the wasm instruction at
/// <see cref="CodeOffset"/>, or <see cref="NativeCodeMap.NoCodeOffset"/> where it came from no
/// instruction (the runtime, glue, a gap between sequences).
/// </summary>
public readonly record struct NativeCodeRange(ulong Start, ulong End, uint CodeOffset)
{
    /// <summary>
    /// Code from no one instruction that the C compiler marked line 0 in the module's file: code it
    /// merged from several lines (at -O2, one call for the calls of two statements), as opposed to
    /// the runtime's inline helpers (rows of their own files).
    /// </summary>
    public bool IsMerged { get; init; }
}

/// <summary>
/// Which wasm instruction each byte of an AOT executable's code came from, both ways. The
/// translated C has a <c>#line &lt;code offset&gt; "&lt;module&gt;.wasm"</c> before every
/// instruction, so the executable's own line table, as the C compiler wrote it, says it: this reads
/// it once into sorted native ranges (pc → code offset, for traps) and an index by code offset
/// (code offset → the native ranges, one to many, for translating the module's DWARF).
/// </summary>
public sealed class NativeCodeMap
{
    /// <summary>A code offset meaning "no wasm instruction here".</summary>
    public const uint NoCodeOffset = 0xFFFFFFFF;

    private readonly NativeCodeRange[] _ranges;

    // Indices into _ranges of the ranges that have a code offset, ordered by (code offset, start).
    private readonly int[] _byCodeOffset;

    private NativeCodeMap(NativeCodeRange[] ranges)
    {
        _ranges = ranges;
        _byCodeOffset = [.. Enumerable.Range(0, ranges.Length)
            .Where(i => ranges[i].CodeOffset != NoCodeOffset)
            .OrderBy(i => ranges[i].CodeOffset).ThenBy(i => ranges[i].Start)];
    }

    /// <summary>Every range with a line row, ascending and disjoint; adjacent ranges differ in code offset.</summary>
    public IReadOnlyList<NativeCodeRange> Ranges => _ranges;

    /// <summary>
    /// Reads the line tables of <paramref name="native"/>: rows whose file is
    /// <paramref name="lineFileName"/> (the module's file name in the <c>#line</c> directives) carry
    /// their line as the code offset; every other row, and line 0, means no instruction.
    /// </summary>
    public static NativeCodeMap Read(DwarfContext native, string lineFileName)
    {
        ArgumentNullException.ThrowIfNull(native);
        var rows = ReadRows(native, lineFileName);
        rows.Sort((x, y) => x.Pc != y.Pc ? x.Pc.CompareTo(y.Pc)
            // At one address, a sequence's end comes before the next sequence's first row, and of
            // several rows the last in program order describes the instruction there.
            : x.EndsSequence != y.EndsSequence ? (x.EndsSequence ? -1 : 1)
            : x.Order.CompareTo(y.Order));

        // The last row at each address, then runs of one code offset joined; a range ends where
        // the next row starts, and an end_sequence row starts a stretch with no instruction.
        var starts = new List<Row>();
        foreach (var row in rows)
        {
            if (starts.Count > 0 && starts[^1].Pc == row.Pc)
                starts[^1] = row;
            else if (starts.Count == 0 || starts[^1].CodeOffset != row.CodeOffset || starts[^1].IsMerged != row.IsMerged)
                starts.Add(row);
        }

        var ranges = new List<NativeCodeRange>();
        for (int i = 0; i + 1 < starts.Count; i++)
        {
            if (!starts[i].EndsSequence)
                ranges.Add(new NativeCodeRange(starts[i].Pc, starts[i + 1].Pc, starts[i].CodeOffset) { IsMerged = starts[i].IsMerged });
        }

        return new NativeCodeMap([.. ranges]);
    }

    /// <summary>The code offset of the instruction <paramref name="pc"/> belongs to, or <see cref="NoCodeOffset"/>.</summary>
    public uint CodeOffsetAt(ulong pc)
    {
        int index = FirstRangeEndingAfter(pc);
        return index < _ranges.Length && _ranges[index].Start <= pc ? _ranges[index].CodeOffset : NoCodeOffset;
    }

    /// <summary>The index in <see cref="Ranges"/> of the first range that ends after <paramref name="pc"/> (the count when none does).</summary>
    public int FirstRangeEndingAfter(ulong pc)
    {
        int low = 0, high = _ranges.Length;
        while (low < high)
        {
            int middle = (low + high) >>> 1;
            if (_ranges[middle].End <= pc)
                low = middle + 1;
            else
                high = middle;
        }

        return low;
    }

    /// <summary>
    /// The native code translated from the wasm code [<paramref name="begin"/>, <paramref name="end"/>):
    /// ascending, disjoint ranges, touching ones joined, added to <paramref name="output"/>.
    /// </summary>
    public void MapRange(ulong begin, ulong end, List<(ulong Start, ulong End)> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.Clear();
        for (int i = FirstAtOrAfter(begin); i < _byCodeOffset.Length && _ranges[_byCodeOffset[i]].CodeOffset < end; i++)
        {
            var range = _ranges[_byCodeOffset[i]];
            output.Add((range.Start, range.End));
        }

        output.Sort((x, y) => x.Start.CompareTo(y.Start));
        int kept = 0;
        for (int i = 0; i < output.Count; i++)
        {
            if (kept > 0 && output[kept - 1].End >= output[i].Start)
                output[kept - 1] = (output[kept - 1].Start, Math.Max(output[kept - 1].End, output[i].End));
            else
                output[kept++] = output[i];
        }

        output.RemoveRange(kept, output.Count - kept);
    }

    /// <summary>The starts of the native ranges translated from the instruction at <paramref name="codeOffset"/>, ascending.</summary>
    public void AddressesOf(ulong codeOffset, List<ulong> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.Clear();
        for (int i = FirstAtOrAfter(codeOffset); i < _byCodeOffset.Length && _ranges[_byCodeOffset[i]].CodeOffset == codeOffset; i++)
            output.Add(_ranges[_byCodeOffset[i]].Start);
    }

    private int FirstAtOrAfter(ulong codeOffset)
    {
        int low = 0, high = _byCodeOffset.Length;
        while (low < high)
        {
            int middle = (low + high) >>> 1;
            if (_ranges[_byCodeOffset[middle]].CodeOffset < codeOffset)
                low = middle + 1;
            else
                high = middle;
        }

        return low;
    }

    private readonly record struct Row(ulong Pc, uint CodeOffset, bool EndsSequence, int Order, bool IsMerged = false);

    private static List<Row> ReadRows(DwarfContext native, string lineFileName)
    {
        var rows = new List<Row>();
        var sequence = new List<Row>();
        foreach (var unit in native.Units)
        {
            if (unit.ReadLineProgram() is not { } program)
                continue;
            var isModuleFile = new Dictionary<ulong, bool>();
            var cursor = program.Rows();
            while (cursor.MoveNext())
            {
                var row = cursor.Current;
                if (!isModuleFile.TryGetValue(row.File, out var fromModule))
                {
                    fromModule = program.TryGetFile(row.File, out var entry)
                        && (entry.Path == lineFileName || entry.Path.EndsWith("/" + lineFileName, StringComparison.Ordinal));
                    isModuleFile.Add(row.File, fromModule);
                }

                var codeOffset = row.EndSequence || !fromModule || row.Line == 0 || row.Line >= NoCodeOffset ? NoCodeOffset : (uint)row.Line;
                if (row.EndSequence)
                {
                    // Rows at the sequence's end address cover no byte (gcc writes one before its
                    // end_sequence): left in, they would outrank the end and claim the gap after it.
                    while (sequence.Count > 0 && sequence[^1].Pc == row.Address)
                        sequence.RemoveAt(sequence.Count - 1);
                }

                sequence.Add(new Row(row.Address, codeOffset, row.EndSequence, rows.Count + sequence.Count, IsMerged: fromModule && row.Line == 0 && !row.EndSequence));
                if (!row.EndSequence)
                    continue;

                // A sequence at a tombstone address is code the linker dropped.
                if (!Tombstones.IsTombstone(sequence[0].Pc, program.AddressSize, zeroIsTombstone: true))
                    rows.AddRange(sequence);
                sequence.Clear();
            }

            sequence.Clear();
        }

        return rows;
    }
}
