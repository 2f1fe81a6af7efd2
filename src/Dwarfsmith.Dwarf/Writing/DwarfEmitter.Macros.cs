namespace Dwarfsmith.Dwarf.Writing;

internal sealed partial class DwarfEmitter
{
    private ByteBuffer MacroSection(MacroFormat format) => format == MacroFormat.Macinfo ? _macinfo : _macro;

    /// <summary>
    /// Writes the unit's macro information at the end of its section, where the unit's
    /// <see cref="AttributeValueKind.Macros"/> attribute was just resolved to point. Runs after the
    /// unit's attributes are collected and before its string offsets are written: strx strings
    /// take their indices from the same pool as the attributes'.
    /// </summary>
    private void WriteMacros(UnitBuilder unit, MacroUnit macros)
    {
        var output = MacroSection(macros.Format);
        if (macros.Format == MacroFormat.Macinfo)
        {
            WriteMacinfo(unit, output, macros);
            return;
        }

        bool wide = unit.OffsetSize == 8;
        int lineOffset = -1;
        if (macros.NamesLineProgram && unit.Root.TryGet(DwAt.DW_AT_stmt_list, out var statements) && statements.Kind == AttributeValueKind.LineProgram)
            lineOffset = _lineProgramOffsets[statements.LineProgramId.Index];
        output.WriteU16(macros.Format == MacroFormat.Macro ? (ushort)5 : (ushort)4);
        output.WriteU8((byte)((wide ? 0x01 : 0) | (lineOffset >= 0 ? 0x02 : 0)));
        if (lineOffset >= 0)
            output.WriteFixed((ulong)lineOffset, unit.OffsetSize);

        bool indexed = macros.Format == MacroFormat.Macro && unit.Version >= 5 && unit.UseStringIndex;
        foreach (var entry in macros.Entries)
        {
            switch (entry.Kind)
            {
                case MacroKind.Define or MacroKind.Undefine:
                {
                    bool define = entry.Kind == MacroKind.Define;
                    var text = Checked(unit, entry);
                    if (indexed)
                    {
                        output.WriteU8((byte)(define ? DwMacro.DW_MACRO_define_strx : DwMacro.DW_MACRO_undef_strx));
                        output.WriteUleb(entry.Line);
                        output.WriteUleb((ulong)StringIndex(text));
                    }
                    else
                    {
                        output.WriteU8((byte)(define ? DwMacro.DW_MACRO_define_strp : DwMacro.DW_MACRO_undef_strp));
                        output.WriteUleb(entry.Line);
                        output.WriteFixed((ulong)InternString(_str, text), unit.OffsetSize);
                    }

                    break;
                }

                case MacroKind.StartFile or MacroKind.EndFile:
                    WriteFileBoundary(output, entry);
                    break;
                default:
                    throw new InvalidOperationException($"{unit}: a {entry.Kind} macro entry cannot be written to .debug_macro");
            }
        }

        output.WriteU8(0);
    }

    /// <summary>start_file and end_file: the same codes (3, 4) and operands in .debug_macinfo and .debug_macro.</summary>
    private static void WriteFileBoundary(ByteBuffer output, in MacroEntry entry)
    {
        if (entry.Kind == MacroKind.EndFile)
        {
            output.WriteU8((byte)DwMacro.DW_MACRO_end_file);
            return;
        }

        output.WriteU8((byte)DwMacro.DW_MACRO_start_file);
        output.WriteUleb(entry.Line);
        output.WriteUleb(entry.File);
    }

    /// <summary>A macro's text, which a visitor may have edited: it ends at the first NUL in every encoding.</summary>
    private static ReadOnlySpan<byte> Checked(UnitBuilder unit, in MacroEntry entry)
    {
        var text = entry.Text.Span;
        if (text.Contains((byte)0))
            throw new InvalidOperationException($"{unit}: the text of a macro entry at line {entry.Line} contains NUL");
        return text;
    }

    private static void WriteMacinfo(UnitBuilder unit, ByteBuffer output, MacroUnit macros)
    {
        foreach (var entry in macros.Entries)
        {
            switch (entry.Kind)
            {
                case MacroKind.Define or MacroKind.Undefine or MacroKind.VendorExtension:
                    output.WriteU8((byte)(entry.Kind switch
                    {
                        MacroKind.Define => DwMacinfo.DW_MACINFO_define,
                        MacroKind.Undefine => DwMacinfo.DW_MACINFO_undef,
                        _ => DwMacinfo.DW_MACINFO_vendor_ext,
                    }));
                    output.WriteUleb(entry.Line);
                    output.WriteBytes(Checked(unit, entry));
                    output.WriteU8(0);
                    break;
                case MacroKind.StartFile or MacroKind.EndFile:
                    WriteFileBoundary(output, entry);
                    break;
                default:
                    throw new InvalidOperationException($"a {entry.Kind} macro entry cannot be written to .debug_macinfo");
            }
        }

        output.WriteU8(0);
    }
}
