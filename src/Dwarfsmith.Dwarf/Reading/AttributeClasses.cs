namespace Dwarfsmith.Dwarf.Reading;

/// <summary>Which attributes hold what, where the form alone does not say (DWARF 5 §7.5.5, table 7.5).</summary>
public static class AttributeClasses
{
    /// <summary>Attributes of the loclist class: a section offset in them names a location list.</summary>
    public static bool IsLoclistClass(DwAt name) => name is DwAt.DW_AT_location or DwAt.DW_AT_string_length
        or DwAt.DW_AT_return_addr or DwAt.DW_AT_data_member_location or DwAt.DW_AT_frame_base or DwAt.DW_AT_segment
        or DwAt.DW_AT_static_link or DwAt.DW_AT_use_location or DwAt.DW_AT_vtable_elem_location;

    /// <summary>Attributes of the exprloc class: a block in them (before DWARF 4) is an expression, as an exprloc is.</summary>
    public static bool IsExprlocClass(DwAt name) => IsLoclistClass(name) || name is DwAt.DW_AT_byte_size
        or DwAt.DW_AT_bit_size or DwAt.DW_AT_bit_offset or DwAt.DW_AT_data_bit_offset or DwAt.DW_AT_lower_bound
        or DwAt.DW_AT_upper_bound or DwAt.DW_AT_count or DwAt.DW_AT_byte_stride or DwAt.DW_AT_bit_stride
        or DwAt.DW_AT_allocated or DwAt.DW_AT_associated or DwAt.DW_AT_data_location
        or DwAt.DW_AT_rank or DwAt.DW_AT_call_value or DwAt.DW_AT_call_data_location or DwAt.DW_AT_call_data_value
        or DwAt.DW_AT_call_target or DwAt.DW_AT_call_target_clobbered or DwAt.DW_AT_GNU_call_site_value
        or DwAt.DW_AT_GNU_call_site_data_value or DwAt.DW_AT_GNU_call_site_target or DwAt.DW_AT_GNU_call_site_target_clobbered;
}
