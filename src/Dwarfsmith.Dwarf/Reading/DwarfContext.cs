using System.Diagnostics.CodeAnalysis;
using Dwarfsmith.Dwarf.Collections;

namespace Dwarfsmith.Dwarf.Reading;

/// <summary>
/// Entry point of DWARF reading over a set of sections: units of .debug_info and .debug_types,
/// abbreviation tables (parsed once per offset), strings, line programs, address ranges. Everything
/// is read lazily; malformed input raises <see cref="DwarfFormatException"/> only.
/// </summary>
public sealed class DwarfContext
{
    private readonly LongMap<AbbreviationTable> _abbreviations = new();
    private IReadOnlyList<Unit>? _units;
    private IReadOnlyList<Unit>? _typeUnits;
    private Dictionary<ulong, Unit>? _bySignature;

    public DwarfContext(DwarfSections sections)
    {
        ArgumentNullException.ThrowIfNull(sections);
        Sections = sections;
        Str = sections[DwarfSections.Str];
        LineStr = sections[DwarfSections.LineStr];
        StrOffsets = sections[DwarfSections.StrOffsets];
        Addr = sections[DwarfSections.Addr];
        Ranges = sections[DwarfSections.Ranges];
        Rnglists = sections[DwarfSections.Rnglists];
        Loc = sections[DwarfSections.Loc];
        Loclists = sections[DwarfSections.Loclists];
        Line = sections[DwarfSections.Line];
    }

    // The sections resolution reads on hot paths, looked up once.
    internal DwarfSection Str { get; }

    internal DwarfSection LineStr { get; }

    internal DwarfSection StrOffsets { get; }

    internal DwarfSection Addr { get; }

    internal DwarfSection Ranges { get; }

    internal DwarfSection Rnglists { get; }

    internal DwarfSection Loc { get; }

    internal DwarfSection Loclists { get; }

    internal DwarfSection Line { get; }

    public DwarfSections Sections { get; }

    /// <summary>The units of .debug_info (headers read on first access).</summary>
    public IReadOnlyList<Unit> Units => _units ??= ReadUnits(Sections[DwarfSections.Info], isTypes: false);

    /// <summary>The DWARF 4 type units of .debug_types.</summary>
    public IReadOnlyList<Unit> TypeUnits => _typeUnits ??= ReadUnits(Sections[DwarfSections.Types], isTypes: true);

    /// <summary>Unit headers of a section one at a time, without keeping them.</summary>
    public IEnumerable<Unit> EnumerateUnits(string sectionName = DwarfSections.Info)
    {
        var section = Sections[sectionName];
        long offset = 0;
        while (offset < section.Length)
        {
            var unit = Unit.ReadHeader(this, section, offset, sectionName == DwarfSections.Types);
            yield return unit;
            offset = unit.EndOffset;
        }
    }

    /// <summary>The abbreviation table at an offset of .debug_abbrev, parsed on first use.</summary>
    public AbbreviationTable GetAbbreviations(long offset)
    {
        lock (_abbreviations)
        {
            if (!_abbreviations.TryGetValue(offset, out var table))
            {
                table = AbbreviationTable.Read(Sections[DwarfSections.Abbrev], offset);
                _abbreviations.Set(offset, table);
            }

            return table;
        }
    }

    /// <summary>The .debug_info unit containing a section offset.</summary>
    public bool TryFindUnit(long infoOffset, [NotNullWhen(true)] out Unit? unit)
    {
        var units = Units;
        int lo = 0, hi = units.Count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var u = units[mid];
            if (infoOffset < u.Offset)
                hi = mid - 1;
            else if (infoOffset >= u.EndOffset)
                lo = mid + 1;
            else
            {
                unit = u;
                return true;
            }
        }

        unit = null;
        return false;
    }

    /// <summary>The type unit (in .debug_types or .debug_info) with a type signature.</summary>
    public bool TryFindTypeUnit(ulong signature, [NotNullWhen(true)] out Unit? unit)
    {
        if (_bySignature is null)
        {
            var map = new Dictionary<ulong, Unit>();
            foreach (var u in TypeUnits.Concat(Units))
            {
                if (u.IsTypeUnit)
                    map.TryAdd(u.TypeSignature, u);
            }

            _bySignature = map;
        }

        return _bySignature.TryGetValue(signature, out unit);
    }

    /// <summary>The NUL-terminated string at an offset of a string section (.debug_str, .debug_line_str).</summary>
    public ReadOnlySpan<byte> StringAt(string sectionName, ulong offset) => StringAt(Sections[sectionName], offset);

    internal static ReadOnlySpan<byte> StringAt(DwarfSection section, ulong offset) => StringMemoryAt(section, offset).Span;

    internal static ReadOnlyMemory<byte> StringMemoryAt(DwarfSection section, ulong offset)
    {
        var sectionName = section.Name;
        var data = section.Data.Span;
        if (offset >= (ulong)data.Length)
            throw new DwarfFormatException($"string offset 0x{offset:X} is outside the section", sectionName, (long)Math.Min(offset, long.MaxValue));
        var end = data[(int)offset..].IndexOf((byte)0);
        if (end < 0)
            throw new DwarfFormatException("unterminated string", sectionName, (long)offset);
        return section.Data.Slice((int)offset, end);
    }

    /// <summary>The line program at an offset of .debug_line (header parsed now, rows on demand).</summary>
    public LineProgram ReadLineProgram(ulong offset, int addressSize) => LineProgram.Read(this, offset, addressSize);

    /// <summary>The address range tables of .debug_aranges.</summary>
    public IReadOnlyList<AddressRangeTable> ReadAddressRanges() => AddressRangeTable.ReadAll(Sections[DwarfSections.Aranges]);

    private List<Unit> ReadUnits(DwarfSection section, bool isTypes)
    {
        var list = new List<Unit>();
        long offset = 0;
        while (offset < section.Length)
        {
            var unit = Unit.ReadHeader(this, section, offset, isTypes);
            list.Add(unit);
            offset = unit.EndOffset;
        }

        return list;
    }
}
