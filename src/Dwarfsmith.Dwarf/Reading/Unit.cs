using System.Diagnostics.CodeAnalysis;

namespace Dwarfsmith.Dwarf.Reading;

/// <summary>
/// One unit of .debug_info or .debug_types: its header, parsed eagerly, and its entries, read on
/// demand through <see cref="Entries"/>. The root entry's base attributes (string offsets, address,
/// range and location list bases, low_pc) are read once, on first use.
/// </summary>
public sealed class Unit
{
    private AbbreviationTable? _abbreviations;
    private RootFacts? _root;

    private Unit(DwarfContext context, DwarfSection section)
    {
        Context = context;
        Section = section;
    }

    public DwarfContext Context { get; }

    /// <summary>.debug_info or .debug_types.</summary>
    public DwarfSection Section { get; }

    /// <summary>Offset of the unit header in its section.</summary>
    public long Offset { get; private init; }

    /// <summary>The unit_length field.</summary>
    public ulong Length { get; private init; }

    /// <summary>4 in 32-bit DWARF, 8 in 64-bit DWARF.</summary>
    public int OffsetSize { get; private init; }

    public int Version { get; private init; }

    /// <summary>The unit type (DWARF 5 header field; DW_UT_compile or DW_UT_type before).</summary>
    public DwUt UnitType { get; private init; }

    public long AbbreviationOffset { get; private init; }

    public int AddressSize { get; private init; }

    /// <summary>Type signature of a type unit (0 otherwise).</summary>
    public ulong TypeSignature { get; private init; }

    /// <summary>Unit-relative offset of a type unit's type entry (0 otherwise).</summary>
    public ulong TypeOffset { get; private init; }

    /// <summary>DWO id of a skeleton or split compile unit (0 otherwise).</summary>
    public ulong DwoId { get; private init; }

    /// <summary>Section offset of the first entry (just after the header).</summary>
    public long FirstEntryOffset { get; private init; }

    /// <summary>Section offset just past the unit.</summary>
    public long EndOffset { get; private init; }

    public int HeaderSize => (int)(FirstEntryOffset - Offset);

    public UnitEncoding Encoding => new(Version, AddressSize, OffsetSize);

    public bool IsTypeUnit => UnitType is DwUt.DW_UT_type or DwUt.DW_UT_split_type;

    public AbbreviationTable Abbreviations => _abbreviations ??= Context.GetAbbreviations(AbbreviationOffset);

    /// <summary>DW_AT_str_offsets_base of the root entry, or the DWARF 5 default (just past the first contribution header).</summary>
    public ulong StrOffsetsBase => Root.StrOffsetsBase ?? (Version >= 5 ? (ulong)(OffsetSize == 8 ? 16 : 8) : 0);

    /// <summary>DW_AT_addr_base (or DW_AT_GNU_addr_base), or the DWARF 5 default.</summary>
    public ulong AddrBase => Root.AddrBase ?? (Version >= 5 ? (ulong)(OffsetSize == 8 ? 16 : 8) : 0);

    /// <summary>DW_AT_rnglists_base, or the default just past the first .debug_rnglists header.</summary>
    public ulong RnglistsBase => Root.RnglistsBase ?? (ulong)(OffsetSize == 8 ? 20 : 12);

    /// <summary>DW_AT_loclists_base, or the default just past the first .debug_loclists header.</summary>
    public ulong LoclistsBase => Root.LoclistsBase ?? (ulong)(OffsetSize == 8 ? 20 : 12);

    /// <summary>The unit's base address: the root entry's DW_AT_low_pc (0 when absent).</summary>
    public ulong BaseAddress => Root.LowPc;

    /// <summary>DW_AT_stmt_list of the root entry, if any.</summary>
    public ulong? StmtList => Root.StmtList;

    /// <summary>The root entry's tag (DW_TAG_compile_unit …); 0 for an empty unit.</summary>
    public DwTag RootTag => Root.Tag;

    /// <summary>DW_AT_name of the root entry.</summary>
    public string? Name => Root.Name;

    /// <summary>DW_AT_comp_dir of the root entry.</summary>
    public string? CompilationDirectory => Root.CompDir;

    private RootFacts Root => _root ??= ReadRoot();

    /// <summary>A depth-first cursor over the unit's entries (null entries included, flagged).</summary>
    public EntryCursor Entries() => new(this, FirstEntryOffset);

    /// <summary>A cursor positioned before the entry at <paramref name="offset"/> (section offset): MoveNext reads it.</summary>
    public EntryCursor EntriesAt(long offset)
    {
        if (offset < FirstEntryOffset || offset >= EndOffset)
            throw new DwarfFormatException($"entry offset 0x{offset:X} is outside the unit at 0x{Offset:X}", Section.Name, offset);
        return new EntryCursor(this, offset);
    }

    public bool ContainsOffset(long sectionOffset) => sectionOffset >= FirstEntryOffset && sectionOffset < EndOffset;

    // ---------- resolution ----------

    /// <summary>The bytes of a string attribute (string, strp, line_strp, strx*); false for supplementary-file strings.</summary>
    public bool TryGetStringBytes(in AttributeValue value, out ReadOnlySpan<byte> bytes)
    {
        bool found = TryGetStringMemory(value, out var memory);
        bytes = memory.Span;
        return found;
    }

    /// <summary>
    /// The bytes of a string attribute as a slice of its section (no copy), for consumers that keep
    /// them; false for supplementary-file strings.
    /// </summary>
    public bool TryGetStringMemory(in AttributeValue value, out ReadOnlyMemory<byte> bytes)
    {
        switch (value.Form)
        {
            case DwForm.DW_FORM_string:
                bytes = value.Memory;
                return true;
            case DwForm.DW_FORM_strp:
                bytes = DwarfContext.StringMemoryAt(Context.Str, value.Value);
                return true;
            case DwForm.DW_FORM_line_strp:
                bytes = DwarfContext.StringMemoryAt(Context.LineStr, value.Value);
                return true;
            default:
                if (Forms.IsStringIndex(value.Form))
                {
                    bytes = DwarfContext.StringMemoryAt(Context.Str, StringOffset(value.Value, value.Form == DwForm.DW_FORM_GNU_str_index));
                    return true;
                }

                bytes = default;
                return false;
        }
    }

    /// <summary>A string attribute's value decoded as UTF-8; null for forms that are not strings of this file.</summary>
    public string? GetString(in AttributeValue value) =>
        TryGetStringBytes(value, out var bytes) ? System.Text.Encoding.UTF8.GetString(bytes) : null;

    /// <summary>The .debug_str offset at index <paramref name="index"/> of this unit's .debug_str_offsets contribution.</summary>
    public ulong StringOffset(ulong index, bool gnuSplit = false)
    {
        var at = (gnuSplit ? Root.StrOffsetsBase ?? 0 : StrOffsetsBase) + (index * (ulong)OffsetSize);
        var r = Context.StrOffsets.Reader();
        if (at > (ulong)r.Data.Length)
            throw new DwarfFormatException($"string index {index} is outside .debug_str_offsets", DwarfSections.StrOffsets, (long)Math.Min(at, long.MaxValue));
        r.Seek((long)at);
        return r.ReadOffset(OffsetSize);
    }

    /// <summary>The address at index <paramref name="index"/> of this unit's .debug_addr contribution.</summary>
    public ulong AddressAt(ulong index)
    {
        var at = AddrBase + (index * (ulong)AddressSize);
        var r = Context.Addr.Reader();
        if (at > (ulong)r.Data.Length)
            throw new DwarfFormatException($"address index {index} is outside .debug_addr", DwarfSections.Addr, (long)Math.Min(at, long.MaxValue));
        r.Seek((long)at);
        return r.ReadAddress(AddressSize);
    }

    /// <summary>The address of an address-class attribute (addr, addrx*).</summary>
    public ulong ResolveAddress(in AttributeValue value) =>
        Forms.IsAddressIndex(value.Form) ? AddressAt(value.Value) : value.Value;

    /// <summary>True when <paramref name="address"/> is a dead-code tombstone of this unit's address size (see <see cref="Tombstones"/>).</summary>
    public bool IsTombstone(ulong address) => Tombstones.IsTombstone(address, AddressSize, Context.Sections.ZeroIsTombstone);

    /// <summary>
    /// The section offset a reference attribute points to: unit-relative forms plus the unit offset,
    /// DW_FORM_ref_addr as is, DW_FORM_ref_sig8 through the type unit with that signature. False for
    /// references into a supplementary file or unknown signatures.
    /// </summary>
    public bool TryResolveReference(in AttributeValue value, out long sectionOffset)
    {
        sectionOffset = 0;
        switch (value.Form)
        {
            case DwForm.DW_FORM_ref1 or DwForm.DW_FORM_ref2 or DwForm.DW_FORM_ref4 or DwForm.DW_FORM_ref8 or DwForm.DW_FORM_ref_udata:
                if (value.Value > long.MaxValue - (ulong)Offset)
                    return false;
                sectionOffset = Offset + (long)value.Value;
                return true;
            case DwForm.DW_FORM_ref_addr:
                sectionOffset = (long)value.Value;
                return value.Value <= long.MaxValue;
            case DwForm.DW_FORM_ref_sig8:
                if (Context.TryFindTypeUnit(value.Value, out var typeUnit))
                {
                    sectionOffset = typeUnit.Offset + (long)typeUnit.TypeOffset;
                    return true;
                }

                return false;
            default:
                return false;
        }
    }

    /// <summary>The section offset of a range list: DW_FORM_rnglistx through the offsets table, sec_offset as is.</summary>
    public ulong RangeListOffset(in AttributeValue value) =>
        value.Form == DwForm.DW_FORM_rnglistx ? ListOffset(DwarfSections.Rnglists, RnglistsBase, value.Value) : value.Value;

    /// <summary>The section offset of a location list: DW_FORM_loclistx through the offsets table, sec_offset as is.</summary>
    public ulong LocationListOffset(in AttributeValue value) =>
        value.Form == DwForm.DW_FORM_loclistx ? ListOffset(DwarfSections.Loclists, LoclistsBase, value.Value) : value.Value;

    /// <summary>A cursor over the range list of a DW_AT_ranges attribute (.debug_ranges before DWARF 5, .debug_rnglists from 5).</summary>
    public RangeListCursor ReadRangeList(in AttributeValue value) => ReadRangeList(RangeListOffset(value));

    /// <summary>A cursor over the range list at a section offset.</summary>
    public RangeListCursor ReadRangeList(ulong offset) => new(this, Version >= 5, offset);

    /// <summary>A cursor over the location list of a location attribute in sec_offset or loclistx form.</summary>
    public LocationListCursor ReadLocationList(in AttributeValue value) => ReadLocationList(LocationListOffset(value));

    public LocationListCursor ReadLocationList(ulong offset) => new(this, Version >= 5, offset);

    /// <summary>True when the attribute refers to a location list rather than holding an expression or a constant.</summary>
    public bool IsLocationList(in AttributeValue value) =>
        AttributeClasses.IsLoclistClass(value.Name) && (value.Form == DwForm.DW_FORM_loclistx || IsSectionOffset(value));

    /// <summary>True when the attribute is DW_AT_ranges referring to a range list.</summary>
    public bool IsRangeList(in AttributeValue value) =>
        value.Name == DwAt.DW_AT_ranges && (value.Form == DwForm.DW_FORM_rnglistx || IsSectionOffset(value));

    /// <summary>A section offset: sec_offset, or before DWARF 4 data4/data8, which then served as offsets too.</summary>
    public bool IsSectionOffset(in AttributeValue value) =>
        value.Form == DwForm.DW_FORM_sec_offset || (Version < 4 && value.Form is DwForm.DW_FORM_data4 or DwForm.DW_FORM_data8);

    /// <summary>The line program of this unit (DW_AT_stmt_list), or null when it has none.</summary>
    public LineProgram? ReadLineProgram() =>
        StmtList is { } offset ? Context.ReadLineProgram(offset, AddressSize) : null;

    public override string ToString() =>
        $"unit at 0x{Offset:X}: version {Version}, {UnitType}, {(OffsetSize == 8 ? "DWARF64" : "DWARF32")}, addr_size {AddressSize}";

    internal ulong ListOffset(string section, ulong listBase, ulong index)
    {
        var at = listBase + (index * (ulong)OffsetSize);
        var r = (section == DwarfSections.Rnglists ? Context.Rnglists : Context.Loclists).Reader();
        if (at > (ulong)r.Data.Length)
            throw new DwarfFormatException($"list index {index} is outside the offsets table", section, (long)Math.Min(at, long.MaxValue));
        r.Seek((long)at);
        return listBase + r.ReadOffset(OffsetSize);
    }

    internal static Unit ReadHeader(DwarfContext context, DwarfSection section, long offset, bool isTypesSection)
    {
        var r = section.ReaderAt(offset);
        var (length, offsetSize) = r.ReadInitialLength();
        var contentStart = r.Offset;
        if (length > (ulong)r.Remaining)
            throw r.ErrorAt(offset, $"unit length 0x{length:X} runs past the end of the section");
        var end = contentStart + (long)length;
        r = new DwarfReader(section.Data.Span[(int)contentStart..(int)end], section.Name, contentStart);
        var versionOffset = r.Offset;
        int version = r.ReadU16();
        if (version is < 2 or > 5)
            throw r.ErrorAt(versionOffset, $"unsupported DWARF version {version}");
        DwUt unitType;
        ulong abbrevOffset;
        int addressSize;
        ulong signature = 0, typeOffset = 0, dwoId = 0;
        if (version >= 5)
        {
            unitType = (DwUt)r.ReadU8();
            addressSize = r.ReadU8();
            abbrevOffset = r.ReadOffset(offsetSize);
            switch (unitType)
            {
                case DwUt.DW_UT_compile or DwUt.DW_UT_partial:
                    break;
                case DwUt.DW_UT_skeleton or DwUt.DW_UT_split_compile:
                    dwoId = r.ReadU64();
                    break;
                case DwUt.DW_UT_type or DwUt.DW_UT_split_type:
                    signature = r.ReadU64();
                    typeOffset = r.ReadOffset(offsetSize);
                    break;
                default:
                    throw r.ErrorAt(versionOffset + 2, $"unknown unit type 0x{(byte)unitType:X}");
            }
        }
        else
        {
            abbrevOffset = r.ReadOffset(offsetSize);
            addressSize = r.ReadU8();
            unitType = isTypesSection ? DwUt.DW_UT_type : DwUt.DW_UT_compile;
            if (isTypesSection)
            {
                signature = r.ReadU64();
                typeOffset = r.ReadOffset(offsetSize);
            }
        }

        if (addressSize is not (1 or 2 or 4 or 8))
            throw new DwarfFormatException($"unsupported address size {addressSize}", section.Name, versionOffset);
        if (abbrevOffset >= (ulong)Math.Max(1, context.Sections[DwarfSections.Abbrev].Length) && abbrevOffset != 0)
            throw new DwarfFormatException($"abbreviation offset 0x{abbrevOffset:X} is outside .debug_abbrev", section.Name, versionOffset);
        if (typeOffset > length)
            throw new DwarfFormatException($"type offset 0x{typeOffset:X} is outside the unit", section.Name, versionOffset);

        return new Unit(context, section)
        {
            Offset = offset,
            Length = length,
            OffsetSize = offsetSize,
            Version = version,
            UnitType = unitType,
            AbbreviationOffset = (long)abbrevOffset,
            AddressSize = addressSize,
            TypeSignature = signature,
            TypeOffset = typeOffset,
            DwoId = dwoId,
            FirstEntryOffset = r.Offset,
            EndOffset = end,
        };
    }

    private RootFacts ReadRoot()
    {
        var facts = new RootFacts();
        _root = facts; // resolution below consults the bases already found
        var cursor = Entries();
        if (!cursor.MoveNext() || cursor.IsNull)
            return facts;
        facts.Tag = cursor.Tag;
        AttributeValue? name = null, compDir = null, lowPc = null;
        foreach (var a in cursor.Attributes)
        {
            switch (a.Name)
            {
                case DwAt.DW_AT_str_offsets_base:
                    facts.StrOffsetsBase = a.Value;
                    break;
                case DwAt.DW_AT_addr_base or DwAt.DW_AT_GNU_addr_base:
                    facts.AddrBase = a.Value;
                    break;
                case DwAt.DW_AT_rnglists_base:
                    facts.RnglistsBase = a.Value;
                    break;
                case DwAt.DW_AT_loclists_base:
                    facts.LoclistsBase = a.Value;
                    break;
                case DwAt.DW_AT_stmt_list:
                    facts.StmtList = a.Value;
                    break;
                case DwAt.DW_AT_name:
                    name = a;
                    break;
                case DwAt.DW_AT_comp_dir:
                    compDir = a;
                    break;
                case DwAt.DW_AT_low_pc:
                    lowPc = a;
                    break;
                default:
                    break;
            }
        }

        if (lowPc is { } low && low.IsAddress)
            facts.LowPc = ResolveAddress(low);
        if (name is { } n)
            facts.Name = GetString(n);
        if (compDir is { } d)
            facts.CompDir = GetString(d);
        return facts;
    }

    private sealed class RootFacts
    {
        public DwTag Tag { get; set; }

        public ulong? StrOffsetsBase { get; set; }

        public ulong? AddrBase { get; set; }

        public ulong? RnglistsBase { get; set; }

        public ulong? LoclistsBase { get; set; }

        public ulong? StmtList { get; set; }

        public ulong LowPc { get; set; }

        public string? Name { get; set; }

        public string? CompDir { get; set; }
    }
}
