namespace Dwarfsmith.Dwarf.Writing;

/// <summary>32-bit or 64-bit DWARF: the size of section offsets and unit lengths.</summary>
public enum DwarfFormat : byte
{
    Dwarf32 = 4,
    Dwarf64 = 8,
}

/// <summary>
/// A unit of the write model: header parameters, the entry tree (from <see cref="Root"/>), and the
/// range and location lists its attributes reference.
/// </summary>
public sealed class UnitBuilder
{
    private readonly List<EntryBuilder> _entries;
    private readonly List<RangeList> _rangeLists = [];
    private readonly List<LocationList> _locationLists = [];
    private readonly IndexPool _addressPool = new();

    internal UnitBuilder(DwarfOutput output, int index, ushort version, byte addressSize, DwarfFormat format, DwUt unitType, DwTag rootTag, int entryCapacity = 0)
    {
        _entries = new List<EntryBuilder>(entryCapacity);
        if (version is < 2 or > 5)
            throw new ArgumentOutOfRangeException(nameof(version), version, "DWARF versions 2 to 5 are supported");
        if (addressSize is not (1 or 2 or 4 or 8))
            throw new ArgumentOutOfRangeException(nameof(addressSize), addressSize, "address size must be 1, 2, 4 or 8");
        if (format == DwarfFormat.Dwarf64 && version < 3)
            throw new ArgumentException("64-bit DWARF needs version 3 or later", nameof(format));
        Output = output;
        Index = index;
        Version = version;
        AddressSize = addressSize;
        Format = format;
        UnitType = unitType;
        UseStringIndex = version >= 5;
        UseListIndex = version >= 5;
        Root = NewEntry(rootTag);
    }

    public DwarfOutput Output { get; }

    /// <summary>The unit's position in <see cref="DwarfOutput.Units"/>; part of every <see cref="EntryId"/>.</summary>
    public int Index { get; }

    public ushort Version { get; }

    public byte AddressSize { get; }

    public DwarfFormat Format { get; }

    public int OffsetSize => (int)Format;

    /// <summary>The unit type (DWARF 5 header field; type units are DW_UT_type).</summary>
    public DwUt UnitType { get; set; }

    /// <summary>Type units: the type signature in the header.</summary>
    public ulong TypeSignature { get; set; }

    /// <summary>Type units: the entry the header's type_offset points to.</summary>
    public EntryId? TypeEntry { get; set; }

    /// <summary>Skeleton and split compile units (DWARF 5): the header's dwo_id.</summary>
    public ulong DwoId { get; set; }

    /// <summary>DWARF 5: unpinned strings use strx forms through .debug_str_offsets (default), else strp.</summary>
    public bool UseStringIndex { get; set; }

    /// <summary>DWARF 5: addresses use addrx forms through .debug_addr (and lists use startx/base_addressx).</summary>
    public bool UseAddressIndex { get; set; }

    /// <summary>DWARF 5: list references use rnglistx/loclistx (default), else sec_offset.</summary>
    public bool UseListIndex { get; set; }

    public EntryBuilder Root { get; }

    /// <summary>The unit's macro information, written by the emitter where a root attribute of kind <see cref="AttributeValueKind.Macros"/> points.</summary>
    public MacroUnit? Macros { get; set; }

    /// <summary>Every entry created in this unit, by <see cref="EntryId.Index"/> (including detached ones).</summary>
    public IReadOnlyList<EntryBuilder> Entries => _entries;

    /// <summary><see cref="Entries"/> without the interface, for the emitter's loops.</summary>
    internal List<EntryBuilder> EntryList => _entries;

    public IReadOnlyList<RangeList> RangeLists => _rangeLists;

    public IReadOnlyList<LocationList> LocationLists => _locationLists;

    public EntryBuilder this[EntryId id] =>
        id.Unit == Index ? _entries[id.Index] : throw new ArgumentException($"{id} is not in unit {Index}", nameof(id));

    /// <summary>Creates a detached entry (reserving its id); attach it with <see cref="EntryBuilder.AppendChild"/>.</summary>
    public EntryBuilder NewEntry(DwTag tag, int attributeCapacity = 0)
    {
        var entry = new EntryBuilder(this, new EntryId(Index, _entries.Count), tag, attributeCapacity);
        _entries.Add(entry);
        return entry;
    }

    /// <summary>
    /// The addresses given an index so far (see <see cref="InternAddress"/>), in index order. The
    /// emitter starts the unit's .debug_addr contribution with them and appends what else it indexes.
    /// </summary>
    public IReadOnlyList<ulong> AddressPool => _addressPool.Values;

    /// <summary>
    /// The index of <paramref name="address"/> in this unit's .debug_addr contribution (DWARF 5),
    /// allocating it if new: for expressions that name addresses by index (DW_OP_addrx, DW_OP_constx).
    /// </summary>
    public int InternAddress(ulong address) => _addressPool.Intern(address);

    /// <summary>
    /// Appends <paramref name="address"/> to the unit's address pool at the next index even when it
    /// is there already (to reproduce a pool index for index); returns that index.
    /// </summary>
    public int AppendAddress(ulong address) => _addressPool.Append(address);

    public RangeListId AddRangeList(RangeList list)
    {
        _rangeLists.Add(list);
        return new RangeListId(Index, _rangeLists.Count - 1);
    }

    public LocationListId AddLocationList(LocationList list)
    {
        _locationLists.Add(list);
        return new LocationListId(Index, _locationLists.Count - 1);
    }

    public RangeList GetRangeList(RangeListId id) => id.Unit == Index ? _rangeLists[id.Index] : Output.Units[id.Unit].GetRangeList(id);

    public LocationList GetLocationList(LocationListId id) =>
        id.Unit == Index ? _locationLists[id.Index] : Output.Units[id.Unit].GetLocationList(id);

    public override string ToString() => $"unit {Index} (DWARF {Version}, {Format}, {UnitType})";
}
