using Dwarfsmith.Dwarf.Collections;

namespace Dwarfsmith.Dwarf.Writing;

/// <summary>
/// A half-open address range [Begin, End) with absolute addresses; or, when <see cref="IsDead"/>,
/// dead code: offsets from the tombstone, which the emitter writes in the output's own form
/// (<see cref="Reading.Tombstones.ForOutput"/>), so that it stays dead whatever the version or address size.
/// </summary>
public readonly record struct AddressRange(ulong Begin, ulong End)
{
    /// <summary>Dead code: <see cref="Begin"/> and <see cref="End"/> are offsets from the output's tombstone.</summary>
    public bool IsDead { get; init; }
}

/// <summary>
/// A range list: absolute ranges in order. The emitter encodes them relative to the unit's base
/// address (its root's DW_AT_low_pc) where possible, with base-address entries where not.
/// Dead ranges (<see cref="AddressRange.IsDead"/>) are written with the output's tombstone; ranges
/// given with a tombstone as their begin (max address − 1 or max) are written raw.
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
public readonly struct LocationListEntry : IEquatable<LocationListEntry>
{
    // What few entries have (references, the dead flag, the default flag) sits in an object of its own:
    // 40 bytes an entry instead of 64 (SQLite has about 50,000 entries, in lists grown by doubling).
    private readonly Rare? _rare;

    public LocationListEntry(ulong begin, ulong end, ReadOnlyMemory<byte> expression, bool IsDefault = false)
    {
        Begin = begin;
        End = end;
        Expression = expression;
        _rare = IsDefault ? new Rare(null, false, true) : null;
    }

    public ulong Begin { get; init; }

    public ulong End { get; init; }

    public ReadOnlyMemory<byte> Expression { get; init; }

    public bool IsDefault => _rare?.IsDefault ?? false;

    /// <summary>The expression's operands that name entries, patched by the emitter (null when there are none).</summary>
    public IReadOnlyList<ExpressionReference>? References
    {
        get => _rare?.References;
        init => _rare = With(_rare, value, IsDead, IsDefault);
    }

    /// <summary>As <see cref="AddressRange.IsDead"/>: the entry is dead code, its bounds offsets from the output's tombstone.</summary>
    public bool IsDead
    {
        get => _rare?.IsDead ?? false;
        init => _rare = With(_rare, References, value, IsDefault);
    }

    private static Rare? With(Rare? rare, IReadOnlyList<ExpressionReference>? references, bool isDead, bool isDefault) =>
        references is null && !isDead && !isDefault ? null
        : rare is not null && rare.References == references && rare.IsDead == isDead && rare.IsDefault == isDefault ? rare
        : new Rare(references, isDead, isDefault);

    public bool Equals(LocationListEntry other) =>
        Begin == other.Begin && End == other.End && Expression.Equals(other.Expression)
        && IsDefault == other.IsDefault && References == other.References && IsDead == other.IsDead;

    public override bool Equals(object? obj) => obj is LocationListEntry other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Begin, End, Expression, IsDefault, References, IsDead);

    public static bool operator ==(LocationListEntry left, LocationListEntry right) => left.Equals(right);

    public static bool operator !=(LocationListEntry left, LocationListEntry right) => !left.Equals(right);

    public override string ToString() =>
        $"LocationListEntry {{ Begin = {Begin}, End = {End}, Expression = {Expression.Length} bytes, IsDefault = {IsDefault}, References = {References?.Count ?? 0}, IsDead = {IsDead} }}";

    private sealed record Rare(IReadOnlyList<ExpressionReference>? References, bool IsDead, bool IsDefault);
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
