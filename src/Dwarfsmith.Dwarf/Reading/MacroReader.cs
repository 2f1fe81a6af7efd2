namespace Dwarfsmith.Dwarf.Reading;

/// <summary>
/// A unit's macro information as read: its entries (an import names the other unit, read on its
/// own), and for .debug_macro the header's facts. <see cref="Unsupported"/> names what kept it from
/// being read whole (supplementary-file strings and imports, entries that only a vendor's operand
/// table describes); the entries are then incomplete.
/// </summary>
public sealed record MacroUnitInput(
    IReadOnlyList<MacroEntry> Entries,
    int Version,
    bool HasLineOffset,
    ulong LineOffset,
    string? Unsupported);

/// <summary>
/// Reads one unit's macro information: the entries of .debug_macinfo (DWARF 2–4) from an offset to
/// its terminating 0, or a .debug_macro unit (GNU version 4, DWARF 5): header, entries, 0. Strings
/// are slices of their sections (no copies). Malformed data throws <see cref="DwarfFormatException"/>
/// naming the section and the offset.
/// </summary>
public static class MacroReader
{
    /// <summary>Header flags of .debug_macro (DWARF 5 §6.3.1).</summary>
    private const byte OffsetSizeFlag = 0x01, LineOffsetFlag = 0x02, OperandsTableFlag = 0x04;

    /// <summary>
    /// The macro information a unit's DW_AT_macro_info (.debug_macinfo), DW_AT_macros or
    /// DW_AT_GNU_macros (.debug_macro) attribute points at; null when the file has no such section
    /// (a tool removed it and left the attribute). <paramref name="sectionName"/> names the section.
    /// </summary>
    public static MacroUnitInput? ReadForUnit(Unit unit, DwAt attribute, ulong offset, out string sectionName)
    {
        ArgumentNullException.ThrowIfNull(unit);
        bool macinfo = attribute == DwAt.DW_AT_macro_info;
        sectionName = macinfo ? DwarfSections.Macinfo : DwarfSections.Macro;
        if (!unit.Context.Sections.TryGet(sectionName, out var section))
            return null;
        return macinfo ? ReadMacinfo(section, offset) : ReadMacro(section, offset, unit);
    }

    public static MacroUnitInput ReadMacinfo(DwarfSection section, ulong offset)
    {
        var r = section.ReaderAt(CheckedOffset(section, offset));
        var entries = new List<MacroEntry>();
        while (true)
        {
            long at = r.Offset;
            var type = (DwMacinfo)r.ReadU8();
            switch (type)
            {
                case 0:
                    return new MacroUnitInput(entries, 0, false, 0, null);
                case DwMacinfo.DW_MACINFO_define or DwMacinfo.DW_MACINFO_undef or DwMacinfo.DW_MACINFO_vendor_ext:
                {
                    ulong line = r.ReadULeb128();
                    var kind = type switch
                    {
                        DwMacinfo.DW_MACINFO_define => MacroKind.Define,
                        DwMacinfo.DW_MACINFO_undef => MacroKind.Undefine,
                        _ => MacroKind.VendorExtension,
                    };
                    entries.Add(new MacroEntry(kind, line, 0, InlineString(section, ref r)));
                    break;
                }

                case DwMacinfo.DW_MACINFO_start_file:
                    entries.Add(ReadStartFile(ref r));
                    break;

                case DwMacinfo.DW_MACINFO_end_file:
                    entries.Add(new MacroEntry(MacroKind.EndFile, 0, 0, default));
                    break;
                default:
                    throw r.ErrorAt(at, $"unknown macinfo type 0x{(byte)type:X2}");
            }
        }
    }

    /// <summary>Reads the .debug_macro unit at <paramref name="offset"/>; <paramref name="unit"/> resolves its strp and strx strings.</summary>
    public static MacroUnitInput ReadMacro(DwarfSection section, ulong offset, Unit unit)
    {
        ArgumentNullException.ThrowIfNull(unit);
        var r = section.ReaderAt(CheckedOffset(section, offset));
        long headerAt = r.Offset;
        int version = r.ReadU16();
        if (version is not (4 or 5))
            throw r.ErrorAt(headerAt, $"unsupported .debug_macro version {version}");
        byte flags = r.ReadU8();
        int offsetSize = (flags & OffsetSizeFlag) != 0 ? 8 : 4;
        bool hasLineOffset = (flags & LineOffsetFlag) != 0;
        ulong lineOffset = hasLineOffset ? r.ReadOffset(offsetSize) : 0;
        if ((flags & OperandsTableFlag) != 0)
            return new MacroUnitInput([], version, hasLineOffset, lineOffset, "its header has an opcode operands table (vendor opcodes)");

        var entries = new List<MacroEntry>();
        while (true)
        {
            long at = r.Offset;
            var type = (DwMacro)r.ReadU8();
            switch (type)
            {
                case 0:
                    return new MacroUnitInput(entries, version, hasLineOffset, lineOffset, null);
                case DwMacro.DW_MACRO_define or DwMacro.DW_MACRO_undef:
                {
                    ulong line = r.ReadULeb128();
                    entries.Add(new MacroEntry(Kind(type), line, 0, InlineString(section, ref r)));
                    break;
                }

                case DwMacro.DW_MACRO_define_strp or DwMacro.DW_MACRO_undef_strp:
                {
                    ulong line = r.ReadULeb128();
                    ulong stringOffset = r.ReadOffset(offsetSize);
                    entries.Add(new MacroEntry(Kind(type), line, 0, DwarfContext.StringMemoryAt(unit.Context.Str, stringOffset)));
                    break;
                }

                case DwMacro.DW_MACRO_define_strx or DwMacro.DW_MACRO_undef_strx when version >= 5:
                {
                    ulong line = r.ReadULeb128();
                    ulong index = r.ReadULeb128();
                    entries.Add(new MacroEntry(Kind(type), line, 0, DwarfContext.StringMemoryAt(unit.Context.Str, unit.StringOffset(index))));
                    break;
                }

                case DwMacro.DW_MACRO_start_file:
                    entries.Add(ReadStartFile(ref r));
                    break;

                case DwMacro.DW_MACRO_end_file:
                    entries.Add(new MacroEntry(MacroKind.EndFile, 0, 0, default));
                    break;
                case DwMacro.DW_MACRO_import:
                    entries.Add(new MacroEntry(MacroKind.Import, 0, r.ReadOffset(offsetSize), default));
                    break;
                case DwMacro.DW_MACRO_import_sup:
                    return new MacroUnitInput(entries, version, hasLineOffset, lineOffset, $"it imports macro units of a supplementary file (entry at 0x{at:X})");
                case DwMacro.DW_MACRO_define_sup or DwMacro.DW_MACRO_undef_sup:
                    return new MacroUnitInput(entries, version, hasLineOffset, lineOffset, $"it names strings of a supplementary file (entry at 0x{at:X})");
                default:
                    // Without an operands table, an opcode this reader does not know cannot even be skipped.
                    throw r.ErrorAt(at, $"unknown macro entry type 0x{(byte)type:X2}");
            }
        }
    }

    /// <summary>start_file's operands, the same in both sections: the line of the #include, the line-table file.</summary>
    private static MacroEntry ReadStartFile(ref DwarfReader r)
    {
        ulong line = r.ReadULeb128();
        return new MacroEntry(MacroKind.StartFile, line, r.ReadULeb128(), default);
    }

    private static MacroKind Kind(DwMacro type) =>
        type is DwMacro.DW_MACRO_define or DwMacro.DW_MACRO_define_strp or DwMacro.DW_MACRO_define_strx ? MacroKind.Define : MacroKind.Undefine;

    private static ReadOnlyMemory<byte> InlineString(DwarfSection section, ref DwarfReader r)
    {
        int start = r.Position;
        int length = r.ReadCString().Length;
        return section.Data.Slice(start, length);
    }

    private static long CheckedOffset(DwarfSection section, ulong offset)
    {
        if (offset >= (ulong)section.Data.Length)
            throw new DwarfFormatException($"macro information offset 0x{offset:X} is outside the section", section.Name, (long)Math.Min(offset, long.MaxValue));
        return (long)offset;
    }
}
