using Dwarfsmith.Dwarf.Collections;

namespace Dwarfsmith.Dwarf.Writing;

/// <summary>
/// The owned, mutable DWARF write model: units (with their entries and lists) and line programs.
/// <see cref="Emit"/> lays it out and encodes it into sections.
/// </summary>
public sealed class DwarfOutput
{
    private readonly List<UnitBuilder> _units = [];
    private readonly List<LineProgram> _linePrograms = [];

    public IReadOnlyList<UnitBuilder> Units => _units;

    public IReadOnlyList<LineProgram> LinePrograms => _linePrograms;

    /// <summary>Generate .debug_aranges from the compile units' low_pc/high_pc or DW_AT_ranges (default true).</summary>
    public bool GenerateAranges { get; set; } = true;

    /// <summary>
    /// Adds a unit whose root entry has <paramref name="rootTag"/> (DW_TAG_compile_unit by default);
    /// <paramref name="entryCapacity"/> reserves room for that many entries.
    /// </summary>
    public UnitBuilder AddUnit(
        ushort version,
        byte addressSize,
        DwarfFormat format = DwarfFormat.Dwarf32,
        DwUt unitType = DwUt.DW_UT_compile,
        DwTag rootTag = DwTag.DW_TAG_compile_unit,
        int entryCapacity = 0)
    {
        var unit = new UnitBuilder(this, _units.Count, version, addressSize, format, unitType, rootTag, entryCapacity);
        _units.Add(unit);
        return unit;
    }

    public LineProgramId AddLineProgram(LineProgram program)
    {
        _linePrograms.Add(program);
        return new LineProgramId(_linePrograms.Count - 1);
    }

    public LineProgram this[LineProgramId id] => _linePrograms[id.Index];

    public EntryBuilder this[EntryId id] => _units[id.Unit][id];

    /// <summary>
    /// Lays out and encodes every section; empty sections are left out. Keys are ".debug_info" etc.;
    /// each value is the section's bytes (memory owned by the result, not copied again).
    /// </summary>
    public SectionMap Emit() => new DwarfEmitter(this).Emit();

    /// <summary>As <see cref="Emit"/>, and where the units and entries went in .debug_info.</summary>
    public EmittedDwarf EmitWithLayout()
    {
        var emitter = new DwarfEmitter(this);
        var sections = emitter.Emit();
        return new EmittedDwarf(sections, emitter.Placement) { Strings = emitter.Strings };
    }
}
