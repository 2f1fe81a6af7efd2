using Dwarfsmith.Dwarf.Collections;

namespace Dwarfsmith.Dwarf.Writing;

/// <summary>
/// A half-open address range [Begin, End) with absolute addresses; or, with <see cref="DeadBase"/>,
/// offsets from a tombstone base: dead code that a linker marked by its base address.
/// </summary>
public readonly record struct AddressRange(ulong Begin, ulong End)
{
    /// <summary>A tombstone base address that <see cref="Begin"/> and <see cref="End"/> are offsets from; written as a base entry and an offset pair.</summary>
    public ulong? DeadBase { get; init; }
}

/// <summary>
/// A range list: absolute ranges in order. The emitter encodes them relative to the unit's base
/// address (its root's DW_AT_low_pc) where possible, with base-address entries where not.
/// Tombstoned ranges (begin ≥ max address − 1, wasm-ld's marks for dead code) are written raw.
/// </summary>
public sealed class RangeList
{
    public ValueList<AddressRange> Ranges { get; } = new();

    public RangeList Add(ulong begin, ulong end)
    {
        Ranges.Add(new AddressRange(begin, end));
        return this;
    }
}

/// <summary>One location-list entry: a range and the expression valid in it; a default location (DWARF 5) has no range.</summary>
public readonly record struct LocationListEntry(ulong Begin, ulong End, ReadOnlyMemory<byte> Expression, bool IsDefault = false)
{
    /// <summary>The expression's operands that name entries, patched by the emitter (null when there are none).</summary>
    public IReadOnlyList<ExpressionReference>? References { get; init; }

    /// <summary>As <see cref="AddressRange.DeadBase"/>: the entry is dead code, its bounds offsets from this tombstone base.</summary>
    public ulong? DeadBase { get; init; }
}

/// <summary>A location list: absolute ranges with expressions, in order.</summary>
public sealed class LocationList
{
    /// <summary>An empty list with room for <paramref name="capacity"/> entries.</summary>
    public LocationList(int capacity = 0) => Entries = new ValueList<LocationListEntry>(capacity);

    public ValueList<LocationListEntry> Entries { get; }

    public LocationList Add(ulong begin, ulong end, ReadOnlyMemory<byte> expression)
    {
        Entries.Add(new LocationListEntry(begin, end, expression));
        return this;
    }

    /// <summary>Adds a DW_LLE_default_location entry (DWARF 5 only).</summary>
    public LocationList AddDefault(ReadOnlyMemory<byte> expression)
    {
        Entries.Add(new LocationListEntry(0, 0, expression, IsDefault: true));
        return this;
    }
}
