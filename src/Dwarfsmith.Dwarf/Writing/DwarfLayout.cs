using Dwarfsmith.Dwarf.Collections;

namespace Dwarfsmith.Dwarf.Writing;

/// <summary>
/// Where emission placed the units and entries of a <see cref="DwarfOutput"/> in .debug_info:
/// for tables that name entries by offset (.debug_pubnames, .debug_pubtypes).
/// </summary>
public sealed class DwarfLayout
{
    private readonly int[][] _entryOffsets;
    private readonly int[] _unitOffsets;
    private readonly int[] _unitSizes;

    internal DwarfLayout(int[][] entryOffsets, int[] unitOffsets, int[] unitSizes)
    {
        _entryOffsets = entryOffsets;
        _unitOffsets = unitOffsets;
        _unitSizes = unitSizes;
    }

    /// <summary>The .debug_info offset of a unit's header.</summary>
    public long UnitOffset(int unit) => _unitOffsets[unit];

    /// <summary>The size of a unit in .debug_info, its header included.</summary>
    public long UnitSize(int unit) => _unitSizes[unit];

    /// <summary>The .debug_info offset of an entry, or null when it is not in its unit's tree.</summary>
    public long? InfoOffset(EntryId id) =>
        id.Unit >= 0 && id.Unit < _entryOffsets.Length && _entryOffsets[id.Unit] is { } offsets && id.Index >= 0 && id.Index < offsets.Length && offsets[id.Index] >= 0
            ? _unitOffsets[id.Unit] + offsets[id.Index]
            : null;
}

/// <summary>Emitted sections and where their entries went.</summary>
public sealed record EmittedDwarf(SectionMap Sections, DwarfLayout Layout)
{
    /// <summary>The emitter's .debug_str, which tables rewritten after emission add names to (its offsets never move).</summary>
    internal SpanTable? Strings { get; init; }

    /// <summary>The .debug_str offset of <paramref name="utf8"/>, added at the end when new; <see cref="StringSection"/> then has it.</summary>
    internal long InternString(ReadOnlyMemory<byte> utf8) => DwarfEmitter.InternString(Strings!, utf8.Span);

    /// <summary>.debug_str as it is now (after <see cref="InternString"/>).</summary>
    internal ReadOnlyMemory<byte> StringSection => Strings!.PoolMemory;
}
