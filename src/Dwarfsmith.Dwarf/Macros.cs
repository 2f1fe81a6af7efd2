namespace Dwarfsmith.Dwarf;

/// <summary>What a macro information entry says, whatever section and encoding it came in.</summary>
public enum MacroKind : byte
{
    /// <summary>A #define at <see cref="MacroEntry.Line"/>: the text is the name, parameters and body.</summary>
    Define,

    /// <summary>An #undef at <see cref="MacroEntry.Line"/>: the text is the name.</summary>
    Undefine,

    /// <summary>An #include at <see cref="MacroEntry.Line"/> of the file <see cref="MacroEntry.File"/> (a line-table file index).</summary>
    StartFile,

    /// <summary>The end of the file the last open StartFile began.</summary>
    EndFile,

    /// <summary>DW_MACINFO_vendor_ext: <see cref="MacroEntry.Line"/> holds the vendor's constant, the text its string.</summary>
    VendorExtension,

    /// <summary>DW_MACRO_import: the entries of the .debug_macro unit at offset <see cref="MacroEntry.File"/> belong here.</summary>
    Import,
}

/// <summary>
/// One macro information entry, independent of its encoding: the same for .debug_macinfo, GNU
/// .debug_macro (version 4) and DWARF 5 .debug_macro, and for inline, strp and strx strings.
/// </summary>
/// <param name="Kind">What the entry says.</param>
/// <param name="Line">The source line (or the vendor constant).</param>
/// <param name="File">StartFile: the line-table file index; Import: the imported unit's .debug_macro offset.</param>
/// <param name="Text">Define, Undefine, VendorExtension: the string's UTF-8 bytes, without the NUL.</param>
public readonly record struct MacroEntry(MacroKind Kind, ulong Line, ulong File, ReadOnlyMemory<byte> Text);
