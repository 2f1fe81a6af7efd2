using Dwarfsmith.Dwarf.Reading;

namespace Dwarfsmith.Dwarf.Transform;

/// <summary>
/// Where an address, range, location entry or expression being translated comes from: the input
/// unit and the input entry and attribute it was read from, or for line rows the line program. The
/// pass sets it on the sink or writer a hook is given (<see cref="AddressSink.Context"/>,
/// <see cref="RangeSink.Context"/>, <see cref="LocationSink.Context"/>,
/// <see cref="ExpressionWriter.Context"/>, <see cref="LineSequenceSink.Context"/>), once per
/// attribute, list or program rather than per call, so hooks that do not read it pay nothing.
/// </summary>
public readonly struct MappingContext
{
    private MappingContext(Unit unit, long entryOffset, DwTag tag, DwAt attribute, long lineProgramOffset)
    {
        Unit = unit;
        EntryOffset = entryOffset;
        Tag = tag;
        Attribute = attribute;
        LineProgramOffset = lineProgramOffset;
    }

    /// <summary>The input unit (for line rows, the first unit that named the program).</summary>
    public Unit? Unit { get; }

    /// <summary>The input .debug_info offset of the entry whose attribute is translated; −1 for line rows.</summary>
    public long EntryOffset { get; }

    /// <summary>The input entry's tag (0 for line rows).</summary>
    public DwTag Tag { get; }

    /// <summary>
    /// The attribute whose value is translated: DW_AT_low_pc/high_pc (their range), DW_AT_ranges,
    /// DW_AT_location and the other location lists and expressions, DW_AT_call_return_pc and the
    /// other addresses; 0 for line rows.
    /// </summary>
    public DwAt Attribute { get; }

    /// <summary>For line rows, the input .debug_line offset of their program; −1 otherwise.</summary>
    public long LineProgramOffset { get; }

    /// <summary>True when a line row is mapped (there is no entry).</summary>
    public bool IsLineRow => LineProgramOffset >= 0;

    internal static MappingContext ForAttribute(Unit unit, long entryOffset, DwTag tag, DwAt attribute) =>
        new(unit, entryOffset, tag, attribute, -1);

    internal static MappingContext ForLineProgram(Unit unit, ulong programOffset) =>
        new(unit, -1, 0, 0, (long)programOffset);

    public override string ToString() =>
        IsLineRow ? $"line program at 0x{LineProgramOffset:x}" : $"{Attribute} of {Tag} at 0x{EntryOffset:x}";
}
