namespace Dwarfsmith.Dwarf;

/// <summary>
/// Macro information entry types of .debug_macro (DWARF 5 §7.23, table 7.28). The GNU extension
/// that DWARF 5 standardized (.debug_macro version 4) numbers its opcodes 1 to 10 the same way:
/// 5 and 6 are DW_MACRO_GNU_define_indirect/undef_indirect (a .debug_str offset), 7 is
/// DW_MACRO_GNU_transparent_include.
/// </summary>
public enum DwMacro : byte
{
    DW_MACRO_define = 0x01,
    DW_MACRO_undef = 0x02,
    DW_MACRO_start_file = 0x03,
    DW_MACRO_end_file = 0x04,
    DW_MACRO_define_strp = 0x05,
    DW_MACRO_undef_strp = 0x06,
    DW_MACRO_import = 0x07,
    DW_MACRO_define_sup = 0x08,
    DW_MACRO_undef_sup = 0x09,
    DW_MACRO_import_sup = 0x0a,
    DW_MACRO_define_strx = 0x0b,
    DW_MACRO_undef_strx = 0x0c,
    DW_MACRO_lo_user = 0xe0,
    DW_MACRO_hi_user = 0xff,
}

/// <summary>Macro information entry types of .debug_macinfo (DWARF 4 §7.22, table 7.24).</summary>
public enum DwMacinfo : byte
{
    DW_MACINFO_define = 0x01,
    DW_MACINFO_undef = 0x02,
    DW_MACINFO_start_file = 0x03,
    DW_MACINFO_end_file = 0x04,
    DW_MACINFO_vendor_ext = 0xff,
}
