using Dwarfsmith.Dwarf.Collections;

namespace Dwarfsmith.Dwarf.Writing;

/// <summary>
/// Lays out and encodes a <see cref="DwarfOutput"/>. Per unit: lists first (their offsets and
/// address-pool entries are then known), then attribute forms (strx/addrx/ref widths chosen from the
/// unit's pool sizes and a bound on its size), abbreviations and entry offsets, then the bytes.
/// Cross-unit references (ref_addr) are reserved and patched once every unit is laid out.
/// </summary>
internal sealed partial class DwarfEmitter
{
    private const byte PendingNone = 0;
    private const byte PendingStrx = 1;
    private const byte PendingRef = 3;
    private const byte RawBytes = 4;

    /// <summary>A list's offset, written once the lists emitted beside the entries are done (its size does not depend on it).</summary>
    private const byte PendingList = 5;

    /// <summary>A unit with fewer lists than this emits them itself: a second thread would cost more than it saves.</summary>
    internal const int DefaultConcurrentLists = 1024;

    private readonly DwarfOutput _output;
    private readonly int _concurrentLists;
    private readonly ByteBuffer _info = new(64 * 1024);
    private readonly ByteBuffer _line = new(16 * 1024);
    private readonly ByteBuffer _ranges = new();
    private readonly ByteBuffer _loc = new();
    private readonly ByteBuffer _rnglists = new();
    private readonly ByteBuffer _loclists = new();
    private readonly ByteBuffer _addr = new();
    private readonly ByteBuffer _strOffsets = new();
    private readonly ByteBuffer _aranges = new();
    private readonly ByteBuffer _macro = new();
    private readonly ByteBuffer _macinfo = new();

    /// <summary>The unit being laid out points at its macro information: write it (a visitor may have dropped the attribute).</summary>
    private bool _macrosResolved;
    private readonly ByteBuffer _abbrev = new();
    private readonly SpanTable _str = new();
    private readonly SpanTable _lineStr = new();
    private readonly SpanTable _abbreviations = new();

    /// <summary>The abbreviation declaration being built (tag, children, name/form pairs): its bytes are its key.</summary>
    private readonly ByteBuffer _abbrevKey = new(256);

    private readonly int[] _lineProgramOffsets;
    private readonly int[][] _entryOffsets;
    private readonly int[] _unitOffsets;
    private readonly int[] _unitSizes;
    private readonly ValueList<EntryPatch> _entryPatches = new();

    /// <summary>The patches of lists emitted on another thread, added to <see cref="_entryPatches"/> once they are done.</summary>
    private readonly ValueList<EntryPatch> _listPatches = new();

    /// <summary>The unit's list offsets are not known yet: attributes that hold one write it last (<see cref="PendingList"/>).</summary>
    private bool _listsPending;

    // Per-unit scratch, reused.
    private readonly ValueList<EntryRecord> _records = new();
    private readonly ValueList<Resolved> _resolved = new();
    private readonly IndexPool _addrPool = new();
    private readonly IndexPool _strPool = new();
    private ulong[] _rangeListValues = [];
    private ulong[] _locationListValues = [];
    private UnitBuilder _unit = null!;
    private ulong _addressMask;

    /// <param name="output">The model to emit.</param>
    /// <param name="concurrentLists">From how many lists a DWARF 4 unit's lists go to a second thread (tests vary it).</param>
    public DwarfEmitter(DwarfOutput output, int concurrentLists = DefaultConcurrentLists)
    {
        _output = output;
        _concurrentLists = Environment.ProcessorCount > 1 ? concurrentLists : int.MaxValue;
        _lineProgramOffsets = new int[output.LinePrograms.Count];
        _entryOffsets = new int[output.Units.Count][];
        _unitOffsets = new int[output.Units.Count];
        _unitSizes = new int[output.Units.Count];
    }

    /// <summary>The .debug_str being built.</summary>
    public SpanTable Strings => _str;

    /// <summary>Where <see cref="Emit"/> placed units and entries (valid after it ran).</summary>
    public DwarfLayout Placement => new(_entryOffsets, _unitOffsets, _unitSizes);

    public SectionMap Emit()
    {
        long encodedRows = 0;
        foreach (var program in _output.LinePrograms)
            encodedRows += (program.EncodedSequences?.Length ?? 0) + 1024; // and room for a header
        _line.ReserveCapacity((int)Math.Min(encodedRows, int.MaxValue / 2));
        for (int i = 0; i < _output.LinePrograms.Count; i++)
        {
            _lineProgramOffsets[i] = _line.Length;
            LineProgramEncoder.Encode(_output.LinePrograms[i], _line, _str, _lineStr);
        }

        foreach (var unit in _output.Units)
            EmitUnit(unit);

        foreach (var patch in _entryPatches)
            ApplyPatch(patch);

        WriteAbbreviations();
        if (_output.GenerateAranges)
        {
            foreach (var unit in _output.Units)
                WriteAranges(unit);
        }

        var sections = new SectionMap();
        Add(sections, ".debug_abbrev", _abbrev.WrittenMemory);
        Add(sections, ".debug_info", _info.WrittenMemory);
        Add(sections, ".debug_str", _str.PoolMemory);
        Add(sections, ".debug_line", _line.WrittenMemory);
        Add(sections, ".debug_line_str", _lineStr.PoolMemory);
        Add(sections, ".debug_ranges", _ranges.WrittenMemory);
        Add(sections, ".debug_loc", _loc.WrittenMemory);
        Add(sections, ".debug_rnglists", _rnglists.WrittenMemory);
        Add(sections, ".debug_loclists", _loclists.WrittenMemory);
        Add(sections, ".debug_addr", _addr.WrittenMemory);
        Add(sections, ".debug_str_offsets", _strOffsets.WrittenMemory);
        Add(sections, ".debug_aranges", _aranges.WrittenMemory);
        Add(sections, ".debug_macro", _macro.WrittenMemory);
        Add(sections, ".debug_macinfo", _macinfo.WrittenMemory);
        return sections;
    }

    private static void Add(SectionMap sections, string name, ReadOnlyMemory<byte> bytes)
    {
        if (!bytes.IsEmpty)
            sections[name] = bytes;
    }

    /// <summary>Interns a string (without NUL) into a NUL-separated string section; returns its offset.</summary>
    internal static int InternString(SpanTable table, ReadOnlySpan<byte> utf8)
    {
        int id = table.Intern(utf8, out bool added);
        if (added)
            table.Append(0);
        return table.StartOf(id);
    }

    private void EmitUnit(UnitBuilder unit)
    {
        if (unit.Version < 5 && unit.UnitType != DwUt.DW_UT_compile && unit.UnitType != DwUt.DW_UT_partial)
            throw new NotSupportedException($"{unit}: DWARF {unit.Version} type units (.debug_types) are not supported");
        _unit = unit;
        _addressMask = unit.AddressSize == 8 ? ulong.MaxValue : (1UL << (8 * unit.AddressSize)) - 1;
        _records.Clear();
        _resolved.Clear();
        _addrPool.Clear();
        foreach (ulong address in unit.AddressPool)
            _addrPool.Append(address); // indices expressions already use

        _strPool.Clear();

        ulong? baseAddress = unit.Root.TryGet(DwAt.DW_AT_low_pc, out var low) && low.Kind == AttributeValueKind.Address
            ? low.Number & _addressMask
            : null;

        _rangeListValues = new ulong[unit.RangeLists.Count];
        _locationListValues = new ulong[unit.LocationLists.Count];
        ulong rnglistsBase = 0, loclistsBase = 0;
        BackgroundQueue? lists = null;
        if (unit.Version >= 5)
        {
            // Not beside the entries: DWARF 5 lists index the unit's address pool, whose order the entries share.
            if (unit.RangeLists.Count > 0)
                rnglistsBase = EmitRangeListsV5(unit, baseAddress);
            if (unit.LocationLists.Count > 0)
                loclistsBase = EmitLocationListsV5(unit, baseAddress);
        }
        else if (unit.RangeLists.Count + unit.LocationLists.Count >= _concurrentLists)
        {
            // .debug_ranges/.debug_loc offsets are only written into the entries, never sized: the
            // lists go to a second thread while this one lays out the entries.
            lists = new BackgroundQueue("dwarfsmith lists");
            lists.Enqueue(() => EmitListsV4(unit, baseAddress, _listPatches));
        }
        else
        {
            EmitListsV4(unit, baseAddress, _entryPatches);
        }

        _listsPending = lists is not null;
        int[] offsets;
        long size;
        try
        {
            offsets = LayOut(unit, rnglistsBase, loclistsBase, out size);
        }
        catch when (lists is not null)
        {
            // The lists come first in a one-thread emission: their error, if they have one, is the one to report.
            lists.Finish();
            throw;
        }

        if (lists is not null)
        {
            lists.Finish();
            foreach (ref readonly var patch in _listPatches)
                _entryPatches.Add(patch);
            _listPatches.Clear();
        }

        Write(unit, offsets, size);
    }

    /// <summary>Writes the unit's DWARF 4 range and location lists, noting their offsets.</summary>
    private void EmitListsV4(UnitBuilder unit, ulong? baseAddress, ValueList<EntryPatch> patches)
    {
        for (int i = 0; i < unit.RangeLists.Count; i++)
            _rangeListValues[i] = EmitRangeListV4(unit.RangeLists[i], baseAddress);
        _loc.ReserveCapacity(LocationListsV4Size(unit));
        for (int i = 0; i < unit.LocationLists.Count; i++)
            _locationListValues[i] = EmitLocationListV4(unit.LocationLists[i], baseAddress, patches);
    }

    /// <summary>Resolves the unit's attributes to forms and lays it out: its entries' offsets, and its size.</summary>
    private int[] LayOut(UnitBuilder unit, ulong rnglistsBase, ulong loclistsBase, out long size)
    {
        // Room for every attribute at once: the biggest unit's are most of the emitter's memory.
        int attributeCount = 4; // the synthetic bases
        foreach (var entry in unit.EntryList)
            attributeCount += entry.Attributes.Count;
        _resolved.EnsureCapacity(attributeCount);
        _records.EnsureCapacity(unit.Entries.Count);
        _macrosResolved = false;
        Collect(unit.Root);
        // Attribute strings are numbered first: only they choose the strx form's width.
        int attributeStrings = _strPool.Count;
        if (unit.Macros is { } macros && _macrosResolved)
            WriteMacros(unit, macros); // before the string offsets are written: its strings may join them

        // Synthetic base attributes on the root, after its own.
        if (unit.Version >= 5)
        {
            int rootEnd = _records[0].Count;
            int headerSize = unit.OffsetSize == 8 ? 16 : 8;
            int inserted = 0;
            void Insert(DwAt name, ulong value)
            {
                _resolved.Insert(rootEnd + inserted, new Resolved { Name = name, Form = DwForm.DW_FORM_sec_offset, Value = value, Size = unit.OffsetSize });
                inserted++;
            }

            if (_strPool.Count > 0)
                Insert(DwAt.DW_AT_str_offsets_base, (ulong)(_strOffsets.Length + headerSize));
            if (_addrPool.Count > 0)
                Insert(DwAt.DW_AT_addr_base, (ulong)(_addr.Length + headerSize));
            if (unit.UseListIndex && unit.RangeLists.Count > 0)
                Insert(DwAt.DW_AT_rnglists_base, rnglistsBase);
            if (unit.UseListIndex && unit.LocationLists.Count > 0)
                Insert(DwAt.DW_AT_loclists_base, loclistsBase);
            if (inserted > 0)
            {
                _records[0].Count += inserted;
                for (int i = 1; i < _records.Count; i++)
                    _records[i].First += inserted;
            }
        }

        // Forms whose width depends on the unit's pools and size.
        int unitHeaderSize = UnitHeaderSize(unit);
        long bound = unitHeaderSize;
        foreach (var record in _records)
            bound += 3 + (record.Entry.ChildCount > 0 ? 1 : 0);
        foreach (var resolved in _resolved)
            bound += resolved.Pending is PendingNone or RawBytes or PendingList ? resolved.Size : 4;
        var strxForm = IndexForm(attributeStrings, DwForm.DW_FORM_strx1);
        var refForm = bound <= 0xFF ? DwForm.DW_FORM_ref1 : bound <= 0xFFFF ? DwForm.DW_FORM_ref2 : bound <= 0xFFFFFFFF ? DwForm.DW_FORM_ref4 : DwForm.DW_FORM_ref8;
        int refUdataWidth = Leb.UlebSize((ulong)bound);
        var span = _resolved.AsSpan();
        for (int i = 0; i < span.Length; i++)
        {
            ref var r = ref span[i];
            switch (r.Pending)
            {
                case PendingStrx:
                    r.Form = strxForm;
                    r.Size = FixedIndexSize(strxForm);
                    break;
                case PendingRef:
                    if (r.Form == DwForm.DW_FORM_ref_udata)
                    {
                        r.Size = refUdataWidth;
                    }
                    else
                    {
                        if (r.Form == 0)
                            r.Form = refForm;
                        r.Size = r.Form switch { DwForm.DW_FORM_ref1 => 1, DwForm.DW_FORM_ref2 => 2, DwForm.DW_FORM_ref4 => 4, _ => 8 };
                    }

                    break;
            }
        }

        // Abbreviations and offsets.
        var offsets = new int[unit.Entries.Count];
        for (int i = 0; i < offsets.Length; i++)
            offsets[i] = -1; // not Array.Fill: its int instantiation runs unoptimized under ReadyToRun
        _entryOffsets[unit.Index] = offsets;
        long offset = unitHeaderSize;
        int next = Layout(0, ref offset, offsets);
        if (next != _records.Count)
            throw new InvalidOperationException("internal: layout walked a different tree");
        if (unit.OffsetSize == 4 && offset > uint.MaxValue - 16)
            throw new InvalidOperationException($"{unit} is too large for 32-bit DWARF");
        size = offset;
        return offsets;
    }

    /// <summary>Writes the laid-out unit to .debug_info, and its string offsets and address pool.</summary>
    private void Write(UnitBuilder unit, int[] offsets, long size)
    {
        _info.ReserveCapacity((int)size);
        int unitStart = _info.Length;
        _unitOffsets[unit.Index] = unitStart;
        int lengthAt = _info.ReserveUnitLength(unit.OffsetSize);
        _info.WriteU16(unit.Version);
        if (unit.Version >= 5)
        {
            _info.WriteU8((byte)unit.UnitType);
            _info.WriteU8(unit.AddressSize);
            _info.WriteFixed(0, unit.OffsetSize); // one abbreviation table for all units, at offset 0
            if (unit.UnitType is DwUt.DW_UT_type or DwUt.DW_UT_split_type)
            {
                _info.WriteU64(unit.TypeSignature);
                int typeOffset = unit.TypeEntry is { } typeEntry ? offsets[unit[typeEntry].Id.Index] : 0;
                if (typeOffset < 0)
                    throw new InvalidOperationException($"{unit}: its type entry is not in the tree");
                _info.WriteFixed((ulong)typeOffset, unit.OffsetSize);
            }
            else if (unit.UnitType is DwUt.DW_UT_skeleton or DwUt.DW_UT_split_compile)
            {
                _info.WriteU64(unit.DwoId);
            }
        }
        else
        {
            _info.WriteFixed(0, unit.OffsetSize);
            _info.WriteU8(unit.AddressSize);
        }

        WriteEntries(unitStart, offsets);
        _info.PatchUnitLength(lengthAt, unit.OffsetSize);
        _unitSizes[unit.Index] = _info.Length - unitStart;
        if (_info.Length - unitStart != size)
            throw new InvalidOperationException($"internal: {unit} laid out as {size} bytes, wrote {_info.Length - unitStart}");

        if (_strPool.Count > 0)
        {
            int at = _strOffsets.ReserveUnitLength(unit.OffsetSize);
            _strOffsets.WriteU16(5);
            _strOffsets.WriteU16(0);
            foreach (ulong stringOffset in _strPool.Values)
                _strOffsets.WriteFixed(stringOffset, unit.OffsetSize);
            _strOffsets.PatchUnitLength(at, unit.OffsetSize);
        }

        if (_addrPool.Count > 0)
        {
            int at = _addr.ReserveUnitLength(unit.OffsetSize);
            _addr.WriteU16(5);
            _addr.WriteU8(unit.AddressSize);
            _addr.WriteU8(0);
            foreach (ulong address in _addrPool.Values)
                _addr.WriteFixed(address, unit.AddressSize);
            _addr.PatchUnitLength(at, unit.OffsetSize);
        }
    }

    /// <summary>About the size of the unit's DWARF 4 location lists: each entry's pair, length and expression, and an end pair per list.</summary>
    private static int LocationListsV4Size(UnitBuilder unit)
    {
        long size = 0;
        foreach (var list in unit.LocationLists)
        {
            size += 2 * unit.AddressSize;
            foreach (ref var entry in list.Entries)
                size += (2 * unit.AddressSize) + 2 + entry.Expression.Length;
        }

        return (int)Math.Min(size, int.MaxValue / 2);
    }

    private static int UnitHeaderSize(UnitBuilder unit)
    {
        int size = (unit.OffsetSize == 8 ? 12 : 4) + 2 + unit.OffsetSize + 1;
        if (unit.Version >= 5)
        {
            size++;
            if (unit.UnitType is DwUt.DW_UT_type or DwUt.DW_UT_split_type)
                size += 8 + unit.OffsetSize;
            else if (unit.UnitType is DwUt.DW_UT_skeleton or DwUt.DW_UT_split_compile)
                size += 8;
        }

        return size;
    }

    private static DwForm IndexForm(int count, DwForm form1) =>
        count <= 0x100 ? form1 : count <= 0x10000 ? form1 + 1 : count <= 0x1000000 ? form1 + 2 : form1 + 3;

    private static int FixedIndexSize(DwForm form) => form switch
    {
        DwForm.DW_FORM_strx1 or DwForm.DW_FORM_addrx1 => 1,
        DwForm.DW_FORM_strx2 or DwForm.DW_FORM_addrx2 => 2,
        DwForm.DW_FORM_strx3 or DwForm.DW_FORM_addrx3 => 3,
        _ => 4,
    };

    private void Collect(EntryBuilder entry)
    {
        int first = _resolved.Count;
        var attributes = entry.Attributes;
        bool isRoot = entry == _unit.Root;
        for (int i = 0; i < attributes.Count; i++)
        {
            var attribute = attributes[i];
            if (isRoot && _unit.Version >= 5 && attribute.Name is DwAt.DW_AT_str_offsets_base or DwAt.DW_AT_addr_base
                    or DwAt.DW_AT_rnglists_base or DwAt.DW_AT_loclists_base)
                continue; // regenerated by the emitter
            _resolved.Add(Resolve(entry, attribute, i));
        }

        _records.Add(new EntryRecord { Entry = entry, First = first, Count = _resolved.Count - first });
        for (var child = entry.FirstChild; child is not null; child = child.NextSibling)
            Collect(child);
    }

    private int Layout(int index, ref long offset, int[] offsets)
    {
        ref var record = ref _records[index];
        offsets[record.Entry.Id.Index] = (int)offset;
        _abbrevKey.Clear();
        int childCount = record.Entry.ChildCount;
        bool hasChildren = childCount > 0;
        _abbrevKey.WriteUleb((ulong)record.Entry.Tag);
        _abbrevKey.WriteU8(hasChildren ? (byte)1 : (byte)0);
        long size = 0;
        for (int i = record.First; i < record.First + record.Count; i++)
        {
            ref var r = ref _resolved[i];
            _abbrevKey.WriteUleb((ulong)r.Name);
            _abbrevKey.WriteUleb((ulong)r.Form);
            if (r.Form == DwForm.DW_FORM_implicit_const)
                _abbrevKey.WriteSleb((long)r.Value);
            size += r.Size;
        }

        int code = _abbreviations.Intern(_abbrevKey.Written, out _) + 1;
        record.Code = code;
        offset += Leb.UlebSize((ulong)code) + size;
        int next = index + 1;
        for (int c = 0; c < childCount; c++)
            next = Layout(next, ref offset, offsets);
        if (hasChildren)
            offset++;
        return next;
    }

    private void WriteEntries(int unitStart, int[] offsets)
    {
        int index = 0;
        WriteEntry(ref index, unitStart, offsets);
    }

    private void WriteEntry(ref int index, int unitStart, int[] offsets)
    {
        ref var record = ref _records[index++];
        _info.WriteUleb((ulong)record.Code);
        var attributes = record.Entry.Attributes;
        for (int i = record.First; i < record.First + record.Count; i++)
        {
            ref var r = ref _resolved[i];
            if (!r.FromAttributeBytes)
            {
                WriteValue(in r, default, unitStart, offsets);
                continue;
            }

            ref var attribute = ref attributes[(int)r.Value];
            var data = attribute.Data.Span;
            WriteValue(in r, data, unitStart, offsets);
            if (attribute.References is { } references)
                PatchExpression(_info, _info.Length - data.Length, references, offsets, _entryPatches);
        }

        int childCount = record.Entry.ChildCount;
        for (int c = 0; c < childCount; c++)
            WriteEntry(ref index, unitStart, offsets);
        if (childCount > 0)
            _info.WriteU8(0);
    }

    private void WriteValue(in Resolved r, ReadOnlySpan<byte> data, int unitStart, int[] offsets)
    {
        var unit = _unit;
        if (r.Pending == RawBytes)
        {
            _info.WriteBytes(data);
            return;
        }

        if (r.Pending == PendingList)
        {
            ulong listOffset = (r.Value >> 32 != 0 ? _rangeListValues : _locationListValues)[(int)(uint)r.Value];
            if (r.Size < 8 && listOffset >> (8 * r.Size) != 0)
                throw new InvalidOperationException($"{unit}: a list offset (0x{listOffset:x}) does not fit {r.Form}");
            _info.WriteFixed(listOffset, r.Size);
            return;
        }

        switch (r.Form)
        {
            case DwForm.DW_FORM_addr:
                _info.WriteFixed(r.Value, unit.AddressSize);
                break;
            case DwForm.DW_FORM_data1 or DwForm.DW_FORM_ref1 or DwForm.DW_FORM_flag or DwForm.DW_FORM_strx1 or DwForm.DW_FORM_addrx1
                or DwForm.DW_FORM_data2 or DwForm.DW_FORM_ref2 or DwForm.DW_FORM_strx2 or DwForm.DW_FORM_addrx2
                or DwForm.DW_FORM_strx3 or DwForm.DW_FORM_addrx3
                or DwForm.DW_FORM_data4 or DwForm.DW_FORM_ref4 or DwForm.DW_FORM_strx4 or DwForm.DW_FORM_addrx4
                or DwForm.DW_FORM_data8 or DwForm.DW_FORM_ref8 or DwForm.DW_FORM_ref_sig8
                or DwForm.DW_FORM_strp or DwForm.DW_FORM_line_strp or DwForm.DW_FORM_sec_offset
                when r.Pending != PendingRef:
                _info.WriteFixed(r.Value, r.Size);
                break;
            case DwForm.DW_FORM_ref1 or DwForm.DW_FORM_ref2 or DwForm.DW_FORM_ref4 or DwForm.DW_FORM_ref8 or DwForm.DW_FORM_ref_udata:
            {
                var target = EntryId.Unpack(r.Value);
                int targetOffset = offsets[target.Index];
                if (targetOffset < 0)
                    throw new InvalidOperationException($"{unit}: reference to {target}, which is not in the tree");
                if (r.Form == DwForm.DW_FORM_ref_udata)
                    _info.WriteUleb((ulong)targetOffset, r.Size);
                else if (r.Size < 8 && (ulong)targetOffset >> (8 * r.Size) != 0)
                    throw new InvalidOperationException($"{unit}: reference to {target} does not fit {r.Form}");
                else
                    _info.WriteFixed((ulong)targetOffset, r.Size);
                break;
            }

            case DwForm.DW_FORM_ref_addr:
            {
                var target = EntryId.Unpack(r.Value);
                if (target.Unit == unit.Index)
                {
                    int targetOffset = offsets[target.Index];
                    if (targetOffset < 0)
                        throw new InvalidOperationException($"{unit}: reference to {target}, which is not in the tree");
                    _info.WriteFixed((ulong)(unitStart + targetOffset), r.Size);
                }
                else
                {
                    _entryPatches.Add(new EntryPatch(_info, _info.Length, r.Size, target, RelativeToUnit: false));
                    _info.WriteFixed(0, r.Size);
                }

                break;
            }

            case DwForm.DW_FORM_udata or DwForm.DW_FORM_strx or DwForm.DW_FORM_addrx or DwForm.DW_FORM_rnglistx or DwForm.DW_FORM_loclistx:
                _info.WriteUleb(r.Value);
                break;
            case DwForm.DW_FORM_sdata:
                _info.WriteSleb((long)r.Value);
                break;
            case DwForm.DW_FORM_implicit_const or DwForm.DW_FORM_flag_present:
                break;
            case DwForm.DW_FORM_string:
                _info.WriteBytes(data);
                _info.WriteU8(0);
                break;
            case DwForm.DW_FORM_block1:
                _info.WriteU8((byte)data.Length);
                _info.WriteBytes(data);
                break;
            case DwForm.DW_FORM_block2:
                _info.WriteU16((ushort)data.Length);
                _info.WriteBytes(data);
                break;
            case DwForm.DW_FORM_block4:
                _info.WriteU32((uint)data.Length);
                _info.WriteBytes(data);
                break;
            case DwForm.DW_FORM_block or DwForm.DW_FORM_exprloc:
                _info.WriteUleb((ulong)data.Length);
                _info.WriteBytes(data);
                break;
            case DwForm.DW_FORM_data16:
                _info.WriteBytes(data);
                break;
            default:
                throw new InvalidOperationException($"internal: no writer for {r.Form}");
        }
    }

    private Resolved Resolve(EntryBuilder entry, Attribute attribute, int index)
    {
        var unit = _unit;
        var value = attribute.Value;
        var form = value.Form;
        var r = new Resolved { Name = attribute.Name };
        int version = unit.Version;
        int offsetSize = unit.OffsetSize;
        switch (value.Kind)
        {
            case AttributeValueKind.Address:
            {
                ulong address = value.Number & _addressMask;
                if (form == 0)
                    form = version >= 5 && unit.UseAddressIndex ? DwForm.DW_FORM_addrx : DwForm.DW_FORM_addr;
                if (form == DwForm.DW_FORM_addr)
                    return Fixed(r, form, address, unit.AddressSize);
                // Unpinned indices use DW_FORM_addrx (ULEB), as LLVM does: lldb-22 rejects addrx1–addrx4
                // ("unsupported DW_FORM value: 0x29") and then loses the unit's line table.
                if (form is DwForm.DW_FORM_addrx or (>= DwForm.DW_FORM_addrx1 and <= DwForm.DW_FORM_addrx4))
                {
                    ulong addressIndex = (ulong)AddressIndex(address);
                    return form == DwForm.DW_FORM_addrx
                        ? Fixed(r, form, addressIndex, Leb.UlebSize(addressIndex))
                        : Fixed(r, form, CheckFits(entry, attribute, addressIndex, FixedIndexSize(form)), FixedIndexSize(form));
                }

                break;
            }

            case AttributeValueKind.Unsigned:
            case AttributeValueKind.Signed:
            {
                bool signed = value.Kind == AttributeValueKind.Signed;
                ulong bits = value.Number;
                if (form == 0)
                {
                    if (signed)
                        return Fixed(r, DwForm.DW_FORM_sdata, bits, Leb.SlebSize((long)bits));
                    form = bits <= 0xFF ? DwForm.DW_FORM_data1
                        : bits <= 0xFFFF ? DwForm.DW_FORM_data2
                        : version < 4 ? DwForm.DW_FORM_udata // data4/data8 were section offsets for some attributes
                        : bits <= 0xFFFFFFFF ? DwForm.DW_FORM_data4 : DwForm.DW_FORM_data8;
                }

                switch (form)
                {
                    case DwForm.DW_FORM_data1:
                        return Fixed(r, form, CheckFitsConstant(entry, attribute, bits, 1, signed), 1);
                    case DwForm.DW_FORM_data2:
                        return Fixed(r, form, CheckFitsConstant(entry, attribute, bits, 2, signed), 2);
                    case DwForm.DW_FORM_data4:
                        return Fixed(r, form, CheckFitsConstant(entry, attribute, bits, 4, signed), 4);
                    case DwForm.DW_FORM_data8:
                        return Fixed(r, form, bits, 8);
                    case DwForm.DW_FORM_udata when !signed || (long)bits >= 0:
                        return Fixed(r, form, bits, Leb.UlebSize(bits));
                    case DwForm.DW_FORM_sdata:
                        return Fixed(r, form, bits, Leb.SlebSize((long)bits));
                    case DwForm.DW_FORM_implicit_const when version >= 5:
                        return Fixed(r, form, bits, 0);
                }

                break;
            }

            case AttributeValueKind.Flag:
                if (form == 0)
                    form = value.Number != 0 && version >= 4 ? DwForm.DW_FORM_flag_present : DwForm.DW_FORM_flag;
                if (form == DwForm.DW_FORM_flag)
                    return Fixed(r, form, value.Number != 0 ? 1UL : 0UL, 1);
                if (form == DwForm.DW_FORM_flag_present && value.Number != 0)
                    return Fixed(r, form, 1, 0);
                break;

            case AttributeValueKind.String:
            case AttributeValueKind.LineString:
            {
                var bytes = value.Data.Span;
                if (bytes.IndexOf((byte)0) >= 0) // not Contains: a generic method ReadyToRun leaves to the JIT
                    throw Invalid(entry, attribute, "a string must not contain NUL");
                if (form == 0)
                {
                    form = value.Kind == AttributeValueKind.LineString
                        ? version >= 5 ? DwForm.DW_FORM_line_strp : DwForm.DW_FORM_strp
                        : version >= 5 && unit.UseStringIndex ? DwForm.DW_FORM_strx : DwForm.DW_FORM_strp;
                    if (form == DwForm.DW_FORM_strx)
                    {
                        r.Pending = PendingStrx;
                        r.Value = (ulong)StringIndex(bytes);
                        return r;
                    }
                }

                switch (form)
                {
                    case DwForm.DW_FORM_string:
                        return FromBytes(r, form, index, bytes.Length + 1);
                    case DwForm.DW_FORM_strp:
                        return Fixed(r, form, (ulong)InternString(_str, bytes), offsetSize);
                    case DwForm.DW_FORM_line_strp:
                        return Fixed(r, form, (ulong)InternString(_lineStr, bytes), offsetSize);
                    case DwForm.DW_FORM_strx:
                    {
                        ulong stringIndex = (ulong)StringIndex(bytes);
                        return Fixed(r, form, stringIndex, Leb.UlebSize(stringIndex));
                    }

                    case >= DwForm.DW_FORM_strx1 and <= DwForm.DW_FORM_strx4:
                    {
                        int size = FixedIndexSize(form);
                        return Fixed(r, form, CheckFits(entry, attribute, (ulong)StringIndex(bytes), size), size);
                    }
                }

                break;
            }

            case AttributeValueKind.Block:
            case AttributeValueKind.Expression:
            case AttributeValueKind.Data16 when version < 5:
            {
                int length = value.Data.Length;
                if (form == 0)
                {
                    form = value.Kind == AttributeValueKind.Expression && version >= 4 ? DwForm.DW_FORM_exprloc
                        : length <= 0xFF ? DwForm.DW_FORM_block1
                        : length <= 0xFFFF ? DwForm.DW_FORM_block2 : DwForm.DW_FORM_block4;
                }

                switch (form)
                {
                    case DwForm.DW_FORM_block1 when length <= 0xFF:
                        return FromBytes(r, form, index, 1 + length);
                    case DwForm.DW_FORM_block2 when length <= 0xFFFF:
                        return FromBytes(r, form, index, 2 + length);
                    case DwForm.DW_FORM_block4:
                        return FromBytes(r, form, index, 4 + length);
                    case DwForm.DW_FORM_block or DwForm.DW_FORM_exprloc:
                        return FromBytes(r, form, index, Leb.UlebSize((ulong)length) + length);
                }

                break;
            }

            case AttributeValueKind.Data16:
                if (form is 0 or DwForm.DW_FORM_data16)
                    return FromBytes(r, DwForm.DW_FORM_data16, index, 16);
                break;

            case AttributeValueKind.Reference:
            {
                var target = value.EntryId;
                if (target.Unit < 0 || target.Unit >= _output.Units.Count || target.Index < 0 || target.Index >= _output.Units[target.Unit].Entries.Count)
                    throw Invalid(entry, attribute, $"reference to {target}, which does not exist");
                int refAddrSize = version == 2 ? unit.AddressSize : offsetSize;
                if (form == DwForm.DW_FORM_ref_addr || target.Unit != unit.Index)
                {
                    if (form is not (0 or DwForm.DW_FORM_ref_addr))
                        throw Invalid(entry, attribute, $"a reference to another unit needs DW_FORM_ref_addr, not {form}");
                    return Fixed(r, DwForm.DW_FORM_ref_addr, value.Number, refAddrSize);
                }

                if (form is 0 or DwForm.DW_FORM_ref1 or DwForm.DW_FORM_ref2 or DwForm.DW_FORM_ref4 or DwForm.DW_FORM_ref8 or DwForm.DW_FORM_ref_udata)
                {
                    r.Form = form;
                    r.Pending = PendingRef;
                    r.Value = value.Number;
                    return r;
                }

                break;
            }

            case AttributeValueKind.LineProgram:
            {
                int program = value.LineProgramId.Index;
                if ((uint)program >= (uint)_lineProgramOffsets.Length)
                    throw Invalid(entry, attribute, $"line program {program} does not exist");
                return SectionOffset(r, form, (ulong)_lineProgramOffsets[program], entry, attribute);
            }

            case AttributeValueKind.RangeList:
            case AttributeValueKind.LocationList:
            {
                bool isRange = value.Kind == AttributeValueKind.RangeList;
                int listUnit = (int)(value.Number >> 32), listIndex = (int)value.Number;
                var values = isRange ? _rangeListValues : _locationListValues;
                if (listUnit != unit.Index || (uint)listIndex >= (uint)values.Length)
                    throw Invalid(entry, attribute, $"list {listIndex} of unit {listUnit} is not a list of this unit");
                var indexForm = isRange ? DwForm.DW_FORM_rnglistx : DwForm.DW_FORM_loclistx;
                if (version >= 5 && unit.UseListIndex)
                {
                    if (form is 0 || form == indexForm)
                        return Fixed(r, indexForm, values[listIndex], Leb.UlebSize(values[listIndex]));
                    break;
                }

                if (_listsPending)
                {
                    // The offset is written last; its form and size are known now.
                    r = SectionOffset(r, form, 0, entry, attribute);
                    r.Pending = PendingList;
                    r.Value = ((ulong)(isRange ? 1 : 0) << 32) | (uint)listIndex;
                    return r;
                }

                return SectionOffset(r, form, values[listIndex], entry, attribute);
            }

            case AttributeValueKind.SectionOffset:
                return SectionOffset(r, form, value.Number, entry, attribute);

            case AttributeValueKind.Macros:
                // Resolved while the unit is collected; its macro information is written right after, here.
                if (unit.Macros is not { } macroUnit || entry != unit.Root)
                    throw Invalid(entry, attribute, "only the root of a unit with macro information can point at it");
                _macrosResolved = true;
                return SectionOffset(r, form, (ulong)MacroSection(macroUnit.Format).Length, entry, attribute);

            case AttributeValueKind.TypeSignature:
                return Fixed(r, DwForm.DW_FORM_ref_sig8, value.Number, 8);

            case AttributeValueKind.Raw:
                r.Pending = RawBytes;
                return FromBytes(r, form, index, value.Data.Length);
        }

        throw Invalid(entry, attribute, $"form {(form == 0 ? "(none)" : form.ToString())} cannot encode this value in DWARF {version}");
    }

    private Resolved SectionOffset(Resolved r, DwForm form, ulong offset, EntryBuilder entry, Attribute attribute)
    {
        int offsetSize = _unit.OffsetSize;
        if (form == 0)
            form = _unit.Version >= 4 ? DwForm.DW_FORM_sec_offset : offsetSize == 8 ? DwForm.DW_FORM_data8 : DwForm.DW_FORM_data4;
        return form switch
        {
            DwForm.DW_FORM_sec_offset => Fixed(r, form, offset, offsetSize),
            DwForm.DW_FORM_data4 => Fixed(r, form, CheckFits(entry, attribute, offset, 4), 4),
            DwForm.DW_FORM_data8 => Fixed(r, form, offset, 8),
            _ => throw Invalid(entry, attribute, $"a section offset cannot use {form}"),
        };
    }

    /// <summary>A value written from the model attribute's own bytes: <see cref="Resolved.Value"/> holds the attribute's index.</summary>
    private static Resolved FromBytes(Resolved r, DwForm form, int attributeIndex, int size)
    {
        r = Fixed(r, form, (ulong)attributeIndex, size);
        r.FromAttributeBytes = true;
        return r;
    }

    private static Resolved Fixed(Resolved r, DwForm form, ulong value, int size)
    {
        r.Form = form;
        r.Value = value;
        r.Size = size;
        return r;
    }

    private ulong CheckFits(EntryBuilder entry, Attribute attribute, ulong value, int size) =>
        size >= 8 || value >> (8 * size) == 0 ? value : throw Invalid(entry, attribute, $"value 0x{value:x} does not fit {size} bytes");

    private ulong CheckFitsConstant(EntryBuilder entry, Attribute attribute, ulong bits, int size, bool signed)
    {
        if (bits >> (8 * size) == 0)
            return bits;
        long v = (long)bits;
        long min = -(1L << ((8 * size) - 1));
        if (signed && v < 0 && v >= min)
            return bits & ((1UL << (8 * size)) - 1);
        throw Invalid(entry, attribute, $"constant 0x{bits:x} does not fit {size} bytes");
    }

    private InvalidOperationException Invalid(EntryBuilder entry, Attribute attribute, string reason) =>
        new($"{_unit}, {entry}, {attribute.Name}: {reason}");

    /// <summary>
    /// Patches the entry operands of an expression just written at <paramref name="start"/>: now when
    /// the current unit is laid out (<paramref name="unitOffsets"/>), else once every unit is.
    /// </summary>
    private void PatchExpression(ByteBuffer buffer, int start, IReadOnlyList<ExpressionReference> references, int[]? unitOffsets, ValueList<EntryPatch> deferred)
    {
        int refAddrSize = _unit.Version == 2 ? _unit.AddressSize : _unit.OffsetSize;
        foreach (var reference in references)
        {
            bool relative = reference.Kind != ExpressionReferenceKind.SectionOffset;
            if (relative && reference.Target.Unit != _unit.Index)
                throw new InvalidOperationException($"{_unit}: an expression names {reference.Target} of another unit with a unit-relative operand");
            var patch = new EntryPatch(buffer, start + reference.Position, reference.Width(refAddrSize), reference.Target, relative)
            {
                IsUleb = reference.Kind == ExpressionReferenceKind.UnitOffsetUleb,
            };
            if (relative && unitOffsets is not null)
                ApplyPatch(patch);
            else
                deferred.Add(patch);
        }
    }

    private void ApplyPatch(in EntryPatch patch)
    {
        var target = patch.Target;
        if (target.Unit < 0 || target.Unit >= _entryOffsets.Length || _entryOffsets[target.Unit] is not { } offsets
            || target.Index < 0 || target.Index >= offsets.Length || offsets[target.Index] < 0)
            throw new InvalidOperationException($"reference to {target}, which is not in its unit's tree");
        ulong value = (ulong)offsets[target.Index] + (patch.RelativeToUnit ? 0 : (ulong)_unitOffsets[target.Unit]);
        if (patch.IsUleb)
            patch.Buffer.PatchUleb(patch.At, value, patch.Size);
        else if (patch.Size < 8 && value >> (8 * patch.Size) != 0)
            throw new InvalidOperationException($"the offset of {target} does not fit {patch.Size} bytes");
        else
            patch.Buffer.PatchFixed(patch.At, value, patch.Size);
    }

    private int AddressIndex(ulong address) => _addrPool.Intern(address);

    private int StringIndex(ReadOnlySpan<byte> utf8) => _strPool.Intern((ulong)InternString(_str, utf8));

    private void WriteAbbreviations()
    {
        for (int id = 0; id < _abbreviations.Count; id++)
        {
            _abbrev.WriteUleb((ulong)(id + 1));
            _abbrev.WriteBytes(_abbreviations.Get(id));
            _abbrev.WriteU8(0);
            _abbrev.WriteU8(0);
        }

        if (_abbrev.Length > 0)
            _abbrev.WriteU8(0);
    }

    private bool IsTombstone(ulong address) => (address & _addressMask) >= _addressMask - 1;

    private ulong EmitRangeListV4(RangeList list, ulong? unitBase)
    {
        ulong offset = (ulong)_ranges.Length;
        int size = _unit.AddressSize;
        ulong? listBase = unitBase;
        foreach (var range in list.Ranges)
        {
            ulong begin = range.Begin & _addressMask, end = range.End & _addressMask;
            if (range.IsDead)
                WriteV4Dead(_ranges, range.Begin, range.End, ref listBase, size);
            else if (!WriteV4Pair(_ranges, begin, end, ref listBase, size))
                continue;
        }

        _ranges.WriteFixed(0, size);
        _ranges.WriteFixed(0, size);
        return offset;
    }

    private ulong EmitLocationListV4(LocationList list, ulong? unitBase, ValueList<EntryPatch> patches)
    {
        ulong offset = (ulong)_loc.Length;
        int size = _unit.AddressSize;
        ulong? listBase = unitBase;
        foreach (var entry in list.Entries)
        {
            if (entry.IsDefault)
                throw new InvalidOperationException($"{_unit}: default location entries need DWARF 5");
            if (entry.Expression.Length > 0xFFFF)
                throw new InvalidOperationException($"{_unit}: a .debug_loc expression is limited to 65535 bytes");
            if (entry.IsDead)
                WriteV4Dead(_loc, entry.Begin, entry.End, ref listBase, size);
            else if (!WriteV4Pair(_loc, entry.Begin & _addressMask, entry.End & _addressMask, ref listBase, size))
                continue;
            _loc.WriteU16((ushort)entry.Expression.Length);
            _loc.WriteBytes(entry.Expression.Span);
            if (entry.References is { } references)
                PatchExpression(_loc, _loc.Length - entry.Expression.Length, references, unitOffsets: null, patches);
        }

        _loc.WriteFixed(0, size);
        _loc.WriteFixed(0, size);
        return offset;
    }

    /// <summary>
    /// A dead-code entry in .debug_ranges/.debug_loc: its offsets from the tombstone of these sections
    /// (all-ones minus one: an all-ones base would be read as live code past the address space),
    /// selected as the base first unless it is the list's base already. Offsets (0, 0), which would
    /// end the list, and offsets that would read as a base selection become the raw tombstone pair.
    /// </summary>
    private void WriteV4Dead(ByteBuffer buffer, ulong beginOffset, ulong endOffset, ref ulong? listBase, int size)
    {
        ulong tombstone = Reading.Tombstones.ForOutput(size, inLegacyList: true);
        beginOffset &= _addressMask;
        endOffset &= _addressMask;
        if ((beginOffset == 0 && endOffset == 0) || IsTombstone(beginOffset))
        {
            WriteV4Pair(buffer, tombstone, tombstone, ref listBase, size);
            return;
        }

        if (listBase != tombstone)
        {
            buffer.WriteFixed(_addressMask, size);
            buffer.WriteFixed(tombstone, size);
            listBase = tombstone;
        }

        buffer.WriteFixed(beginOffset, size);
        buffer.WriteFixed(endOffset, size);
    }

    /// <summary>
    /// Writes a .debug_ranges/.debug_loc pair relative to the list's base, first selecting a new base
    /// when the entry lies below it; tombstones are written raw after selecting base 0 (−1 as −2,
    /// since −1 selects a base), so that they read the same raw and resolved.
    /// Returns false for the empty range [0, 0), which the format cannot express.
    /// </summary>
    private bool WriteV4Pair(ByteBuffer buffer, ulong begin, ulong end, ref ulong? listBase, int size)
    {
        if (IsTombstone(begin))
        {
            if (listBase != 0)
            {
                buffer.WriteFixed(_addressMask, size); // base 0: the raw tombstone is also the resolved one
                buffer.WriteFixed(0, size);
                listBase = 0;
            }

            buffer.WriteFixed(_addressMask - 1, size);
            buffer.WriteFixed(end, size);
            return true;
        }

        if (begin == 0 && end == 0)
            return false; // covers nothing, and no base makes it anything but end-of-list or a base selection
        if (listBase is not { } currentBase || begin < currentBase || (begin == currentBase && end == currentBase))
        {
            currentBase = begin == end ? begin - 1 : begin;
            buffer.WriteFixed(_addressMask, size);
            buffer.WriteFixed(currentBase, size);
            listBase = currentBase;
        }

        buffer.WriteFixed((begin - currentBase) & _addressMask, size);
        buffer.WriteFixed((end - currentBase) & _addressMask, size);
        return true;
    }

    private ulong EmitRangeListsV5(UnitBuilder unit, ulong? unitBase)
    {
        int listsStart = BeginListsContribution(_rnglists, unit, unit.RangeLists.Count, out int lengthAt);
        for (int i = 0; i < unit.RangeLists.Count; i++)
        {
            _rangeListValues[i] = ListStarted(_rnglists, listsStart, i);
            var ranges = unit.RangeLists[i].Ranges;
            ulong? listBase = unitBase;
            for (int j = 0; j < ranges.Count; j++)
            {
                ulong begin = ranges[j].Begin & _addressMask, end = ranges[j].End & _addressMask;
                if (ranges[j].IsDead)
                {
                    WriteV5Dead(_rnglists, begin, end, ref listBase, isRange: true);
                    continue;
                }

                bool nextFits = j + 1 < ranges.Count && !ranges[j + 1].IsDead && ranges[j + 1].Begin >= begin
                    && ranges[j + 1].End >= ranges[j + 1].Begin && !IsTombstone(ranges[j + 1].Begin);
                WriteV5Entry(_rnglists, begin, end, ref listBase, nextFits, isRange: true);
            }

            _rnglists.WriteU8((byte)DwRle.DW_RLE_end_of_list);
        }

        _rnglists.PatchUnitLength(lengthAt, unit.OffsetSize);
        return (ulong)listsStart;
    }

    private ulong EmitLocationListsV5(UnitBuilder unit, ulong? unitBase)
    {
        int listsStart = BeginListsContribution(_loclists, unit, unit.LocationLists.Count, out int lengthAt);
        for (int i = 0; i < unit.LocationLists.Count; i++)
        {
            _locationListValues[i] = ListStarted(_loclists, listsStart, i);
            var entries = unit.LocationLists[i].Entries;
            ulong? listBase = unitBase;
            for (int j = 0; j < entries.Count; j++)
            {
                var entry = entries[j];
                if (entry.IsDefault)
                {
                    _loclists.WriteU8((byte)DwLle.DW_LLE_default_location);
                }
                else if (entry.IsDead)
                {
                    WriteV5Dead(_loclists, entry.Begin, entry.End, ref listBase, isRange: false);
                }
                else
                {
                    ulong begin = entry.Begin & _addressMask, end = entry.End & _addressMask;
                    bool nextFits = j + 1 < entries.Count && !entries[j + 1].IsDefault && !entries[j + 1].IsDead && entries[j + 1].Begin >= begin
                        && entries[j + 1].End >= entries[j + 1].Begin && !IsTombstone(entries[j + 1].Begin);
                    WriteV5Entry(_loclists, begin, end, ref listBase, nextFits, isRange: false);
                }

                _loclists.WriteUleb((ulong)entry.Expression.Length);
                _loclists.WriteBytes(entry.Expression.Span);
                if (entry.References is { } references)
                    PatchExpression(_loclists, _loclists.Length - entry.Expression.Length, references, unitOffsets: null, _entryPatches);
            }

            _loclists.WriteU8((byte)DwLle.DW_LLE_end_of_list);
        }

        _loclists.PatchUnitLength(lengthAt, unit.OffsetSize);
        return (ulong)listsStart;
    }

    private static int BeginListsContribution(ByteBuffer buffer, UnitBuilder unit, int count, out int lengthAt)
    {
        lengthAt = buffer.ReserveUnitLength(unit.OffsetSize);
        buffer.WriteU16(5);
        buffer.WriteU8(unit.AddressSize);
        buffer.WriteU8(0);
        buffer.WriteU32(unit.UseListIndex ? (uint)count : 0);
        int listsStart = buffer.Length;
        if (unit.UseListIndex)
            buffer.WriteZeros(count * unit.OffsetSize);
        return listsStart;
    }

    /// <summary>Records where list <paramref name="index"/> starts: its offset-table slot, or its section offset.</summary>
    private ulong ListStarted(ByteBuffer buffer, int listsStart, int index)
    {
        if (!_unit.UseListIndex)
            return (ulong)buffer.Length;
        buffer.PatchFixed(listsStart + (index * _unit.OffsetSize), (ulong)(buffer.Length - listsStart), _unit.OffsetSize);
        return (ulong)index;
    }

    /// <summary>A dead-code entry: a base_address entry with the tombstone (unless current), then an offset pair from it.</summary>
    private void WriteV5Dead(ByteBuffer buffer, ulong beginOffset, ulong endOffset, ref ulong? listBase, bool isRange)
    {
        ulong tombstone = Reading.Tombstones.ForOutput(_unit.AddressSize, inLegacyList: false);
        if (listBase != tombstone)
        {
            buffer.WriteU8(isRange ? (byte)DwRle.DW_RLE_base_address : (byte)DwLle.DW_LLE_base_address);
            buffer.WriteFixed(tombstone, _unit.AddressSize);
            listBase = tombstone;
        }

        buffer.WriteU8((byte)DwRle.DW_RLE_offset_pair);
        buffer.WriteUleb(beginOffset);
        buffer.WriteUleb(endOffset);
    }

    /// <summary>
    /// Writes the bounds of one .debug_rnglists/.debug_loclists entry (DW_RLE_* and DW_LLE_* share
    /// their kind codes up to offset_pair; base_address, start_end and start_length differ by one).
    /// </summary>
    private void WriteV5Entry(ByteBuffer buffer, ulong begin, ulong end, ref ulong? listBase, bool nextFits, bool isRange)
    {
        int size = _unit.AddressSize;
        bool indexed = _unit.UseAddressIndex;
        byte baseAddress = isRange ? (byte)DwRle.DW_RLE_base_address : (byte)DwLle.DW_LLE_base_address;
        byte startEnd = isRange ? (byte)DwRle.DW_RLE_start_end : (byte)DwLle.DW_LLE_start_end;
        byte startLength = isRange ? (byte)DwRle.DW_RLE_start_length : (byte)DwLle.DW_LLE_start_length;
        if (IsTombstone(begin) || end < begin)
        {
            buffer.WriteU8(startEnd);
            buffer.WriteFixed(begin, size);
            buffer.WriteFixed(end, size);
            return;
        }

        if (listBase is { } current && begin >= current)
        {
            buffer.WriteU8((byte)DwRle.DW_RLE_offset_pair);
            buffer.WriteUleb(begin - current);
            buffer.WriteUleb(end - current);
            return;
        }

        if (nextFits)
        {
            if (indexed)
            {
                buffer.WriteU8((byte)DwRle.DW_RLE_base_addressx);
                buffer.WriteUleb((ulong)AddressIndex(begin));
            }
            else
            {
                buffer.WriteU8(baseAddress);
                buffer.WriteFixed(begin, size);
            }

            listBase = begin;
            buffer.WriteU8((byte)DwRle.DW_RLE_offset_pair);
            buffer.WriteUleb(0);
            buffer.WriteUleb(end - begin);
            return;
        }

        if (indexed)
        {
            buffer.WriteU8((byte)DwRle.DW_RLE_startx_length);
            buffer.WriteUleb((ulong)AddressIndex(begin));
        }
        else
        {
            buffer.WriteU8(startLength);
            buffer.WriteFixed(begin, size);
        }

        buffer.WriteUleb(end - begin);
    }

    private void WriteAranges(UnitBuilder unit)
    {
        if (unit.Version >= 5 && unit.UnitType is not (DwUt.DW_UT_compile or DwUt.DW_UT_partial))
            return;
        var root = unit.Root;
        ulong mask = unit.AddressSize == 8 ? ulong.MaxValue : (1UL << (8 * unit.AddressSize)) - 1;
        var ranges = new List<AddressRange>();
        if (root.TryGet(DwAt.DW_AT_low_pc, out var low) && low.Kind == AttributeValueKind.Address
            && root.TryGet(DwAt.DW_AT_high_pc, out var high))
        {
            ulong begin = low.Number & mask;
            ulong end = high.Kind == AttributeValueKind.Address ? high.Number & mask : (begin + high.Number) & mask;
            ranges.Add(new AddressRange(begin, end));
        }
        else if (root.TryGet(DwAt.DW_AT_ranges, out var list) && list.Kind == AttributeValueKind.RangeList && list.RangeListId.Unit == unit.Index)
        {
            foreach (var range in unit.GetRangeList(list.RangeListId).Ranges)
            {
                if (!range.IsDead)
                    ranges.Add(new AddressRange(range.Begin & mask, range.End & mask));
            }
        }

        ranges.RemoveAll(r => r.End <= r.Begin || r.Begin >= mask - 1);
        if (ranges.Count == 0)
            return;

        int offsetSize = unit.OffsetSize;
        int start = _aranges.Length;
        int lengthAt = _aranges.ReserveUnitLength(offsetSize);
        _aranges.WriteU16(2);
        _aranges.WriteFixed((ulong)_unitOffsets[unit.Index], offsetSize);
        _aranges.WriteU8(unit.AddressSize);
        _aranges.WriteU8(0);
        int tupleSize = 2 * unit.AddressSize;
        int headerEnd = _aranges.Length - start;
        _aranges.WriteZeros(((headerEnd + tupleSize - 1) / tupleSize * tupleSize) - headerEnd);
        foreach (var range in ranges)
        {
            _aranges.WriteFixed(range.Begin, unit.AddressSize);
            _aranges.WriteFixed(range.End - range.Begin, unit.AddressSize);
        }

        _aranges.WriteZeros(tupleSize);
        _aranges.PatchUnitLength(lengthAt, offsetSize);
    }

    private struct EntryRecord
    {
        public EntryBuilder Entry;
        public int First;
        public int Count;
        public int Code;
    }

    /// <summary>An attribute with its form and size decided: 16 bytes, one per attribute of the unit (the emitter's largest array).</summary>
    private struct Resolved
    {
        private const int SizeBits = 28;
        private const uint SizeMask = (1u << SizeBits) - 1;
        private const uint FromBytesBit = 1u << SizeBits;

        /// <summary>The value to write; for a value written from the model attribute's bytes, that attribute's index in its entry.</summary>
        public ulong Value;

        // Size in the low 28 bits, then the from-bytes flag, then Pending in the top 3.
        private uint _packed;
        public DwAt Name;
        public DwForm Form;

        public int Size
        {
            readonly get => (int)(_packed & SizeMask);
            set
            {
                if ((uint)value > SizeMask)
                    throw new NotSupportedException($"an attribute value of {value:N0} bytes (the emitter takes up to {SizeMask:N0})");
                _packed = (_packed & ~SizeMask) | (uint)value;
            }
        }

        /// <summary>Whether the value is the model attribute's bytes (strings in place, blocks, expressions, data16, raw values).</summary>
        public bool FromAttributeBytes
        {
            readonly get => (_packed & FromBytesBit) != 0;
            set => _packed = value ? _packed | FromBytesBit : _packed & ~FromBytesBit;
        }

        public byte Pending
        {
            readonly get => (byte)(_packed >> 29);
            set => _packed = (_packed & ((1u << 29) - 1)) | ((uint)value << 29);
        }
    }
}

/// <summary>A reference to an entry written before the entry's offset was known: patched once it is.</summary>
internal readonly record struct EntryPatch(ByteBuffer Buffer, int At, int Size, EntryId Target, bool RelativeToUnit)
{
    /// <summary>The operand is a ULEB128 padded to <see cref="Size"/> bytes.</summary>
    public bool IsUleb { get; init; }
}
