namespace Dwarfsmith.Dwarf.Reading;

/// <summary>
/// One range-list entry, raw and resolved. Legacy .debug_ranges entries (DWARF 2–4) are reported as
/// DW_RLE_offset_pair (an address pair relative to the base), DW_RLE_base_address (a base selection
/// entry) and DW_RLE_end_of_list, with <see cref="IsLegacy"/> set.
/// </summary>
public readonly record struct RangeListEntry(
    long Offset,
    DwRle Kind,
    ulong Operand1,
    ulong Operand2,
    bool IsLegacy,
    bool HasRange,
    ulong Begin,
    ulong End,
    bool IsTombstone)
{
    /// <summary>Size of the encoded entry in bytes.</summary>
    public int Size { get; init; }
}

/// <summary>
/// One location-list entry, raw and resolved. Legacy .debug_loc entries (DWARF 2–4) are reported as
/// DW_LLE_offset_pair, DW_LLE_base_address and DW_LLE_end_of_list with <see cref="IsLegacy"/> set.
/// </summary>
public readonly record struct LocationListEntry(
    long Offset,
    DwLle Kind,
    ulong Operand1,
    ulong Operand2,
    bool IsLegacy,
    bool HasRange,
    ulong Begin,
    ulong End,
    bool IsTombstone,
    ReadOnlyMemory<byte> Expression,
    long ExpressionOffset)
{
    public int Size { get; init; }

    /// <summary>True for DW_LLE_default_location: valid where no other entry is.</summary>
    public bool IsDefault => Kind == DwLle.DW_LLE_default_location;
}

/// <summary>Reads a range list entry by entry, tracking the base address.</summary>
public sealed class RangeListCursor
{
    private readonly Unit _unit;
    private readonly bool _v5;
    private readonly DwarfSection _section;
    private long _next;
    private ulong _base;
    private bool _baseIsTombstone;
    private bool _done;

    internal RangeListCursor(Unit unit, bool v5, ulong offset)
    {
        _unit = unit;
        _v5 = v5;
        _section = v5 ? unit.Context.Rnglists : unit.Context.Ranges;
        if (offset >= (ulong)_section.Length)
            throw new DwarfFormatException($"range list offset 0x{offset:X} is outside the section", _section.Name, (long)Math.Min(offset, long.MaxValue));
        _next = (long)offset;
        _base = unit.BaseAddress;
        _baseIsTombstone = unit.IsTombstone(_base) && _base != 0;
        ListOffset = (long)offset;
    }

    public long ListOffset { get; }

    public RangeListEntry Current { get; private set; }

    /// <summary>Reads the next entry (the end-of-list entry included); false after it.</summary>
    public bool MoveNext()
    {
        if (_done)
            return false;
        var r = _section.ReaderAt(_next);
        var at = r.Offset;
        var size = _unit.AddressSize;
        var max = Tombstones.MaxAddress(size);
        RangeListEntry e;
        if (!_v5)
        {
            var a = r.ReadAddress(size);
            var b = r.ReadAddress(size);
            if (a == 0 && b == 0)
            {
                e = new RangeListEntry(at, DwRle.DW_RLE_end_of_list, 0, 0, true, false, 0, 0, false);
                _done = true;
            }
            else if (a == max)
            {
                _base = b;
                _baseIsTombstone = Tomb(b);
                e = new RangeListEntry(at, DwRle.DW_RLE_base_address, b, 0, true, false, 0, 0, _baseIsTombstone);
            }
            else
            {
                e = Pair(at, DwRle.DW_RLE_offset_pair, a, b, legacy: true, a == max - 1 || Tomb((_base + a) & max));
            }
        }
        else
        {
            var kind = (DwRle)r.ReadU8();
            switch (kind)
            {
                case DwRle.DW_RLE_end_of_list:
                    e = new RangeListEntry(at, kind, 0, 0, false, false, 0, 0, false);
                    _done = true;
                    break;
                case DwRle.DW_RLE_base_addressx:
                {
                    var index = r.ReadULeb128();
                    _base = _unit.AddressAt(index);
                    _baseIsTombstone = Tomb(_base);
                    e = new RangeListEntry(at, kind, index, 0, false, false, 0, 0, _baseIsTombstone);
                    break;
                }

                case DwRle.DW_RLE_base_address:
                    _base = r.ReadAddress(size);
                    _baseIsTombstone = Tomb(_base);
                    e = new RangeListEntry(at, kind, _base, 0, false, false, 0, 0, _baseIsTombstone);
                    break;
                case DwRle.DW_RLE_startx_endx:
                {
                    var i = r.ReadULeb128();
                    var j = r.ReadULeb128();
                    var begin = _unit.AddressAt(i);
                    var end = _unit.AddressAt(j);
                    e = new RangeListEntry(at, kind, i, j, false, true, begin, end, Tomb(begin));
                    break;
                }

                case DwRle.DW_RLE_startx_length:
                {
                    var i = r.ReadULeb128();
                    var length = r.ReadULeb128();
                    var begin = _unit.AddressAt(i);
                    e = new RangeListEntry(at, kind, i, length, false, true, begin, (begin + length) & max, Tomb(begin));
                    break;
                }

                case DwRle.DW_RLE_offset_pair:
                {
                    var a = r.ReadULeb128();
                    var b = r.ReadULeb128();
                    e = Pair(at, kind, a, b, legacy: false, Tomb((_base + a) & max));
                    break;
                }

                case DwRle.DW_RLE_start_end:
                {
                    var a = r.ReadAddress(size);
                    var b = r.ReadAddress(size);
                    e = new RangeListEntry(at, kind, a, b, false, true, a, b, Tomb(a));
                    break;
                }

                case DwRle.DW_RLE_start_length:
                {
                    var a = r.ReadAddress(size);
                    var length = r.ReadULeb128();
                    e = new RangeListEntry(at, kind, a, length, false, true, a, (a + length) & max, Tomb(a));
                    break;
                }

                default:
                    throw r.ErrorAt(at, $"unknown range list entry kind 0x{(byte)kind:X}");
            }
        }

        _next = r.Offset;
        Current = e with { Size = (int)(r.Offset - at) };
        return true;
    }

    /// <summary>The resolved ranges of the rest of the list (tombstoned ones included, flagged).</summary>
    public List<RangeListEntry> ReadAll()
    {
        var list = new List<RangeListEntry>();
        while (MoveNext())
            list.Add(Current);
        return list;
    }

    private RangeListEntry Pair(long at, DwRle kind, ulong a, ulong b, bool legacy, bool tombstone)
    {
        var max = Tombstones.MaxAddress(_unit.AddressSize);
        return new RangeListEntry(at, kind, a, b, legacy, true, (_base + a) & max, (_base + b) & max, tombstone || _baseIsTombstone);
    }

    private bool Tomb(ulong address) => _unit.IsTombstone(address);
}

/// <summary>
/// Reads a location list entry by entry, tracking the base address. A struct: a rewrite opens one
/// per location attribute (tens of thousands in a large program), so it lives in its caller's frame.
/// </summary>
public struct LocationListCursor
{
    private readonly Unit _unit;
    private readonly bool _v5;
    private readonly DwarfSection _section;
    private long _next;
    private ulong _base;
    private bool _baseIsTombstone;
    private bool _done;

    internal LocationListCursor(Unit unit, bool v5, ulong offset)
    {
        _unit = unit;
        _v5 = v5;
        _section = v5 ? unit.Context.Loclists : unit.Context.Loc;
        if (offset >= (ulong)_section.Length)
            throw new DwarfFormatException($"location list offset 0x{offset:X} is outside the section", _section.Name, (long)Math.Min(offset, long.MaxValue));
        _next = (long)offset;
        _base = unit.BaseAddress;
        _baseIsTombstone = unit.IsTombstone(_base) && _base != 0;
        ListOffset = (long)offset;
    }

    public long ListOffset { get; }

    public LocationListEntry Current { get; private set; }

    /// <summary>Reads the next entry (the end-of-list entry included); false after it.</summary>
    public bool MoveNext()
    {
        if (_done || _unit is null)
            return false;
        var r = _section.ReaderAt(_next);
        var at = r.Offset;
        var size = _unit.AddressSize;
        var max = Tombstones.MaxAddress(size);
        var kind = DwLle.DW_LLE_end_of_list;
        ulong op1 = 0, op2 = 0, begin = 0, end = 0;
        bool hasRange = false, tombstone = false, hasExpression = false, legacy = !_v5;
        if (!_v5)
        {
            op1 = r.ReadAddress(size);
            op2 = r.ReadAddress(size);
            if (op1 == 0 && op2 == 0)
            {
                _done = true;
            }
            else if (op1 == max)
            {
                kind = DwLle.DW_LLE_base_address;
                _base = op2;
                _baseIsTombstone = tombstone = Tomb(op2);
                op1 = op2;
                op2 = 0;
            }
            else
            {
                kind = DwLle.DW_LLE_offset_pair;
                (hasRange, begin, end) = (true, (_base + op1) & max, (_base + op2) & max);
                tombstone = op1 == max - 1 || Tomb(begin) || _baseIsTombstone;
                hasExpression = true;
            }
        }
        else
        {
            kind = (DwLle)r.ReadU8();
            switch (kind)
            {
                case DwLle.DW_LLE_end_of_list:
                    _done = true;
                    break;
                case DwLle.DW_LLE_base_addressx:
                    op1 = r.ReadULeb128();
                    _base = _unit.AddressAt(op1);
                    _baseIsTombstone = tombstone = Tomb(_base);
                    break;
                case DwLle.DW_LLE_base_address:
                    op1 = _base = r.ReadAddress(size);
                    _baseIsTombstone = tombstone = Tomb(_base);
                    break;
                case DwLle.DW_LLE_startx_endx:
                    op1 = r.ReadULeb128();
                    op2 = r.ReadULeb128();
                    (hasRange, begin, end) = (true, _unit.AddressAt(op1), _unit.AddressAt(op2));
                    tombstone = Tomb(begin);
                    hasExpression = true;
                    break;
                case DwLle.DW_LLE_startx_length:
                    op1 = r.ReadULeb128();
                    op2 = r.ReadULeb128();
                    begin = _unit.AddressAt(op1);
                    (hasRange, end) = (true, (begin + op2) & max);
                    tombstone = Tomb(begin);
                    hasExpression = true;
                    break;
                case DwLle.DW_LLE_offset_pair:
                    op1 = r.ReadULeb128();
                    op2 = r.ReadULeb128();
                    (hasRange, begin, end) = (true, (_base + op1) & max, (_base + op2) & max);
                    tombstone = _baseIsTombstone || Tomb(begin);
                    hasExpression = true;
                    break;
                case DwLle.DW_LLE_default_location:
                    hasExpression = true;
                    break;
                case DwLle.DW_LLE_start_end:
                    op1 = r.ReadAddress(size);
                    op2 = r.ReadAddress(size);
                    (hasRange, begin, end) = (true, op1, op2);
                    tombstone = Tomb(op1);
                    hasExpression = true;
                    break;
                case DwLle.DW_LLE_start_length:
                    op1 = r.ReadAddress(size);
                    op2 = r.ReadULeb128();
                    (hasRange, begin, end) = (true, op1, (op1 + op2) & max);
                    tombstone = Tomb(op1);
                    hasExpression = true;
                    break;
                case DwLle.DW_LLE_GNU_view_pair:
                    op1 = r.ReadULeb128();
                    op2 = r.ReadULeb128();
                    break;
                default:
                    throw r.ErrorAt(at, $"unknown location list entry kind 0x{(byte)kind:X}");
            }
        }

        ReadOnlyMemory<byte> expression = default;
        long expressionOffset = 0;
        if (hasExpression)
        {
            var length = _v5 ? r.ReadULeb128() : r.ReadU16();
            expressionOffset = r.Offset;
            r.Skip(length);
            expression = _section.Data.Slice((int)expressionOffset, (int)length);
        }

        _next = r.Offset;
        Current = new LocationListEntry(at, kind, op1, op2, legacy, hasRange, begin, end, tombstone, expression, expressionOffset)
        {
            Size = (int)(r.Offset - at),
        };
        return true;
    }

    public List<LocationListEntry> ReadAll()
    {
        var list = new List<LocationListEntry>();
        while (MoveNext())
            list.Add(Current);
        return list;
    }

    private readonly bool Tomb(ulong address) => _unit.IsTombstone(address);
}
