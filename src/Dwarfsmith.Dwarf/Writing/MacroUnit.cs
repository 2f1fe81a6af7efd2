namespace Dwarfsmith.Dwarf.Writing;

/// <summary>Which section and encoding a unit's macro information is written in.</summary>
public enum MacroFormat : byte
{
    /// <summary>.debug_macinfo (DWARF 2–4), inline strings; the unit names it with DW_AT_macro_info.</summary>
    Macinfo,

    /// <summary>.debug_macro version 4, the GNU extension (strp strings); DW_AT_GNU_macros.</summary>
    GnuMacro,

    /// <summary>.debug_macro version 5 (strx strings where the unit indexes its strings, else strp); DW_AT_macros.</summary>
    Macro,
}

/// <summary>
/// A unit's macro information in the write model: the entries, in order, and the section they go
/// to. The emitter writes it while it emits the unit, so that its strings join the unit's string
/// offsets and its header names the unit's line program (DW_AT_stmt_list), wherever both end up.
/// </summary>
public sealed class MacroUnit
{
    public MacroUnit(MacroFormat format, IEnumerable<MacroEntry> entries, bool namesLineProgram)
    {
        Format = format;
        Entries = [.. entries];
        NamesLineProgram = namesLineProgram;
    }

    public MacroFormat Format { get; set; }

    /// <summary>The entries; a visitor may edit them (e.g. renumber StartFile's files).</summary>
    public List<MacroEntry> Entries { get; }

    /// <summary>.debug_macro: the header gives the offset of the unit's line program (when it has one).</summary>
    public bool NamesLineProgram { get; set; }

    /// <summary>The attribute that points a unit at its macro information in this format.</summary>
    public DwAt AttributeName => Format switch
    {
        MacroFormat.Macinfo => DwAt.DW_AT_macro_info,
        MacroFormat.GnuMacro => DwAt.DW_AT_GNU_macros,
        _ => DwAt.DW_AT_macros,
    };
}
