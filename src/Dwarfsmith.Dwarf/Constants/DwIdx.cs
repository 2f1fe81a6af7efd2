namespace Dwarfsmith.Dwarf;

/// <summary>Name index attributes of .debug_names entries (DWARF 5, section 6.1.1.4.7).</summary>
public enum DwIdx : ushort
{
    DW_IDX_compile_unit = 0x01,
    DW_IDX_type_unit = 0x02,
    DW_IDX_die_offset = 0x03,
    DW_IDX_parent = 0x04,
    DW_IDX_type_hash = 0x05,
    DW_IDX_lo_user = 0x2000,
    DW_IDX_hi_user = 0x3fff,
}
