namespace Dwarfsmith.Dwarf.Reading;

/// <summary>What decides the layout of a unit's attribute values: DWARF version, address size and offset size (4 or 8).</summary>
public readonly record struct UnitEncoding(int Version, int AddressSize, int OffsetSize)
{
    /// <summary>Size of DW_FORM_ref_addr: the address size in DWARF 2, the offset size later.</summary>
    public int RefAddrSize => Version <= 2 ? AddressSize : OffsetSize;

    public bool Is64Bit => OffsetSize == 8;
}

/// <summary>Sum of value sizes of an abbreviation, kept symbolic in the encoding-dependent parts.</summary>
internal readonly record struct FormSize(int Fixed, int Addresses, int Offsets, int RefAddrs, bool Variable)
{
    public FormSize Add(DwForm form)
    {
        if (Variable)
            return this;
        return form switch
        {
            DwForm.DW_FORM_addr => this with { Addresses = Addresses + 1 },
            DwForm.DW_FORM_ref_addr => this with { RefAddrs = RefAddrs + 1 },
            DwForm.DW_FORM_strp or DwForm.DW_FORM_line_strp or DwForm.DW_FORM_sec_offset or DwForm.DW_FORM_strp_sup
                or DwForm.DW_FORM_GNU_ref_alt or DwForm.DW_FORM_GNU_strp_alt => this with { Offsets = Offsets + 1 },
            _ => Forms.FixedSize(form) is var n && n >= 0 ? this with { Fixed = Fixed + n } : this with { Variable = true },
        };
    }

    public int For(in UnitEncoding e) =>
        Variable ? -1 : Fixed + (Addresses * e.AddressSize) + (Offsets * e.OffsetSize) + (RefAddrs * e.RefAddrSize);
}

/// <summary>Facts about attribute forms.</summary>
public static class Forms
{
    public static bool IsKnown(DwForm form) =>
        form is >= DwForm.DW_FORM_addr and <= DwForm.DW_FORM_addrx4 and not (DwForm)0x02
        || form is DwForm.DW_FORM_GNU_addr_index or DwForm.DW_FORM_GNU_str_index or DwForm.DW_FORM_GNU_ref_alt or DwForm.DW_FORM_GNU_strp_alt;

    /// <summary>Size of a form's value when it depends on nothing (no LEB, no length prefix, no encoding); else -1.</summary>
    public static int FixedSize(DwForm form) => form switch
    {
        DwForm.DW_FORM_data1 or DwForm.DW_FORM_ref1 or DwForm.DW_FORM_flag or DwForm.DW_FORM_strx1 or DwForm.DW_FORM_addrx1 => 1,
        DwForm.DW_FORM_data2 or DwForm.DW_FORM_ref2 or DwForm.DW_FORM_strx2 or DwForm.DW_FORM_addrx2 => 2,
        DwForm.DW_FORM_strx3 or DwForm.DW_FORM_addrx3 => 3,
        DwForm.DW_FORM_data4 or DwForm.DW_FORM_ref4 or DwForm.DW_FORM_strx4 or DwForm.DW_FORM_addrx4 or DwForm.DW_FORM_ref_sup4 => 4,
        DwForm.DW_FORM_data8 or DwForm.DW_FORM_ref8 or DwForm.DW_FORM_ref_sig8 or DwForm.DW_FORM_ref_sup8 => 8,
        DwForm.DW_FORM_data16 => 16,
        DwForm.DW_FORM_flag_present or DwForm.DW_FORM_implicit_const => 0,
        _ => -1,
    };

    /// <summary>Forms whose value is a string.</summary>
    public static bool IsString(DwForm form) => form is DwForm.DW_FORM_string or DwForm.DW_FORM_strp or DwForm.DW_FORM_line_strp
        or DwForm.DW_FORM_strx or DwForm.DW_FORM_strx1 or DwForm.DW_FORM_strx2 or DwForm.DW_FORM_strx3 or DwForm.DW_FORM_strx4
        or DwForm.DW_FORM_GNU_str_index or DwForm.DW_FORM_strp_sup or DwForm.DW_FORM_GNU_strp_alt;

    /// <summary>Forms whose value is an index into .debug_str_offsets.</summary>
    public static bool IsStringIndex(DwForm form) => form is DwForm.DW_FORM_strx or DwForm.DW_FORM_strx1 or DwForm.DW_FORM_strx2
        or DwForm.DW_FORM_strx3 or DwForm.DW_FORM_strx4 or DwForm.DW_FORM_GNU_str_index;

    /// <summary>Forms whose value is an address or an index into .debug_addr.</summary>
    public static bool IsAddress(DwForm form) => form is DwForm.DW_FORM_addr || IsAddressIndex(form);

    public static bool IsAddressIndex(DwForm form) => form is DwForm.DW_FORM_addrx or DwForm.DW_FORM_addrx1 or DwForm.DW_FORM_addrx2
        or DwForm.DW_FORM_addrx3 or DwForm.DW_FORM_addrx4 or DwForm.DW_FORM_GNU_addr_index;

    /// <summary>Forms whose value is a reference to an entry.</summary>
    public static bool IsReference(DwForm form) => form is DwForm.DW_FORM_ref1 or DwForm.DW_FORM_ref2 or DwForm.DW_FORM_ref4
        or DwForm.DW_FORM_ref8 or DwForm.DW_FORM_ref_udata or DwForm.DW_FORM_ref_addr or DwForm.DW_FORM_ref_sig8
        or DwForm.DW_FORM_ref_sup4 or DwForm.DW_FORM_ref_sup8 or DwForm.DW_FORM_GNU_ref_alt;

    /// <summary>Unit-relative reference forms.</summary>
    public static bool IsUnitReference(DwForm form) => form is DwForm.DW_FORM_ref1 or DwForm.DW_FORM_ref2 or DwForm.DW_FORM_ref4
        or DwForm.DW_FORM_ref8 or DwForm.DW_FORM_ref_udata;

    /// <summary>Forms whose value is a byte block (exprloc, block*).</summary>
    public static bool IsBlock(DwForm form) => form is DwForm.DW_FORM_block or DwForm.DW_FORM_block1 or DwForm.DW_FORM_block2
        or DwForm.DW_FORM_block4 or DwForm.DW_FORM_exprloc;

    /// <summary>Constant forms (data*, sdata, udata, implicit_const).</summary>
    public static bool IsConstant(DwForm form) => form is DwForm.DW_FORM_data1 or DwForm.DW_FORM_data2 or DwForm.DW_FORM_data4
        or DwForm.DW_FORM_data8 or DwForm.DW_FORM_sdata or DwForm.DW_FORM_udata or DwForm.DW_FORM_implicit_const
        or DwForm.DW_FORM_data16;

    /// <summary>
    /// Reads one value of <paramref name="form"/> (DW_FORM_indirect resolved) at the reader's position.
    /// <paramref name="section"/> is the memory the reader spans, for block slices.
    /// </summary>
    public static AttributeValue Read(ref DwarfReader r, ReadOnlyMemory<byte> section, DwAt name, DwForm form, long implicitConst, in UnitEncoding e)
    {
        var offset = r.Offset;
        while (form == DwForm.DW_FORM_indirect)
        {
            var f = r.ReadULeb128();
            if (f > ushort.MaxValue || (!IsKnown((DwForm)f) && (DwForm)f != DwForm.DW_FORM_implicit_const))
                throw r.ErrorAt(offset, $"unknown form 0x{f:X} in DW_FORM_indirect");
            form = (DwForm)f;
            offset = r.Offset;
            if (form == DwForm.DW_FORM_implicit_const)
                implicitConst = r.ReadSLeb128();
        }

        ulong value;
        ReadOnlyMemory<byte> data = default;
        switch (form)
        {
            case DwForm.DW_FORM_addr:
                value = r.ReadAddress(e.AddressSize);
                break;
            case DwForm.DW_FORM_data1 or DwForm.DW_FORM_ref1 or DwForm.DW_FORM_flag or DwForm.DW_FORM_strx1 or DwForm.DW_FORM_addrx1:
                value = r.ReadU8();
                break;
            case DwForm.DW_FORM_data2 or DwForm.DW_FORM_ref2 or DwForm.DW_FORM_strx2 or DwForm.DW_FORM_addrx2:
                value = r.ReadU16();
                break;
            case DwForm.DW_FORM_strx3 or DwForm.DW_FORM_addrx3:
                value = r.ReadU24();
                break;
            case DwForm.DW_FORM_data4 or DwForm.DW_FORM_ref4 or DwForm.DW_FORM_strx4 or DwForm.DW_FORM_addrx4 or DwForm.DW_FORM_ref_sup4:
                value = r.ReadU32();
                break;
            case DwForm.DW_FORM_data8 or DwForm.DW_FORM_ref8 or DwForm.DW_FORM_ref_sig8 or DwForm.DW_FORM_ref_sup8:
                value = r.ReadU64();
                break;
            case DwForm.DW_FORM_data16:
                value = 16;
                data = Slice(ref r, section, 16);
                break;
            case DwForm.DW_FORM_sdata:
                value = (ulong)r.ReadSLeb128();
                break;
            case DwForm.DW_FORM_udata or DwForm.DW_FORM_ref_udata or DwForm.DW_FORM_strx or DwForm.DW_FORM_addrx
                or DwForm.DW_FORM_loclistx or DwForm.DW_FORM_rnglistx or DwForm.DW_FORM_GNU_addr_index or DwForm.DW_FORM_GNU_str_index:
                value = r.ReadULeb128();
                break;
            case DwForm.DW_FORM_strp or DwForm.DW_FORM_line_strp or DwForm.DW_FORM_sec_offset or DwForm.DW_FORM_strp_sup
                or DwForm.DW_FORM_GNU_ref_alt or DwForm.DW_FORM_GNU_strp_alt:
                value = r.ReadOffset(e.OffsetSize);
                break;
            case DwForm.DW_FORM_ref_addr:
                value = r.ReadUInt(e.RefAddrSize);
                break;
            case DwForm.DW_FORM_flag_present:
                value = 1;
                break;
            case DwForm.DW_FORM_implicit_const:
                value = (ulong)implicitConst;
                break;
            case DwForm.DW_FORM_string:
            {
                var start = r.Position;
                var s = r.ReadCString();
                value = (ulong)(r.BaseOffset + start);
                data = section.Slice(start, s.Length);
                break;
            }

            case DwForm.DW_FORM_block1:
                value = r.ReadU8();
                data = Slice(ref r, section, value);
                break;
            case DwForm.DW_FORM_block2:
                value = r.ReadU16();
                data = Slice(ref r, section, value);
                break;
            case DwForm.DW_FORM_block4:
                value = r.ReadU32();
                data = Slice(ref r, section, value);
                break;
            case DwForm.DW_FORM_block or DwForm.DW_FORM_exprloc:
                value = r.ReadULeb128();
                data = Slice(ref r, section, value);
                break;
            default:
                throw r.ErrorAt(offset, $"unknown form 0x{(ushort)form:X}");
        }

        return new AttributeValue(name, form, offset, value, data);
    }

    /// <summary>Skips one value of <paramref name="form"/>.</summary>
    public static void Skip(ref DwarfReader r, DwForm form, in UnitEncoding e)
    {
        while (true)
        {
            var size = FixedSize(form);
            if (size >= 0)
            {
                r.Skip((ulong)size);
                return;
            }

            switch (form)
            {
                case DwForm.DW_FORM_addr:
                    r.Skip((ulong)e.AddressSize);
                    return;
                case DwForm.DW_FORM_strp or DwForm.DW_FORM_line_strp or DwForm.DW_FORM_sec_offset or DwForm.DW_FORM_strp_sup
                    or DwForm.DW_FORM_GNU_ref_alt or DwForm.DW_FORM_GNU_strp_alt:
                    r.Skip((ulong)e.OffsetSize);
                    return;
                case DwForm.DW_FORM_ref_addr:
                    r.Skip((ulong)e.RefAddrSize);
                    return;
                case DwForm.DW_FORM_sdata:
                    r.ReadSLeb128();
                    return;
                case DwForm.DW_FORM_udata or DwForm.DW_FORM_ref_udata or DwForm.DW_FORM_strx or DwForm.DW_FORM_addrx
                    or DwForm.DW_FORM_loclistx or DwForm.DW_FORM_rnglistx or DwForm.DW_FORM_GNU_addr_index or DwForm.DW_FORM_GNU_str_index:
                    r.ReadULeb128();
                    return;
                case DwForm.DW_FORM_string:
                    r.SkipCString();
                    return;
                case DwForm.DW_FORM_block1:
                    r.Skip(r.ReadU8());
                    return;
                case DwForm.DW_FORM_block2:
                    r.Skip(r.ReadU16());
                    return;
                case DwForm.DW_FORM_block4:
                    r.Skip(r.ReadU32());
                    return;
                case DwForm.DW_FORM_block or DwForm.DW_FORM_exprloc:
                    r.Skip(r.ReadULeb128());
                    return;
                case DwForm.DW_FORM_indirect:
                {
                    var at = r.Offset;
                    var f = r.ReadULeb128();
                    if (f > ushort.MaxValue || (!IsKnown((DwForm)f) && (DwForm)f != DwForm.DW_FORM_implicit_const))
                        throw r.ErrorAt(at, $"unknown form 0x{f:X} in DW_FORM_indirect");
                    form = (DwForm)f;
                    if (form == DwForm.DW_FORM_implicit_const)
                    {
                        r.ReadSLeb128();
                        return;
                    }

                    continue;
                }

                default:
                    throw r.Error($"unknown form 0x{(ushort)form:X}");
            }
        }
    }

    private static ReadOnlyMemory<byte> Slice(ref DwarfReader r, ReadOnlyMemory<byte> section, ulong length)
    {
        var start = r.Position;
        r.Skip(length);
        return section.Slice(start, (int)length);
    }
}
