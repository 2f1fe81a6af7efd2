using Dwarfsmith.Dwarf.Collections;
using Dwarfsmith.Dwarf.Writing;

namespace Dwarfsmith.Dwarf.Transform;

/// <summary>Receives the addresses one input address maps to. Reused by the pass: read it before the next mapping.</summary>
public sealed class AddressSink
{
    private readonly ValueList<ulong> _addresses = new();

    /// <summary>What the visitor added; the pass's to read (a visitor only adds).</summary>
    internal ValueList<ulong> Addresses => _addresses;

    public int Count => _addresses.Count;

    /// <summary>What the address belongs to (the input entry and attribute, or the line program).</summary>
    public MappingContext Context { get; internal set; }

    public void Add(ulong address) => _addresses.Add(address);

    internal void Clear() => _addresses.Clear();

    /// <summary>The lowest address, for places that hold one; false when the input mapped to none.</summary>
    internal bool TryGetLowest(out ulong address)
    {
        if (_addresses.Count == 0)
        {
            address = 0;
            return false;
        }

        address = _addresses[0];
        foreach (ulong a in _addresses)
            address = Math.Min(address, a);
        return true;
    }

    /// <summary>The highest address, for exclusive ends; false when the input mapped to none.</summary>
    internal bool TryGetHighest(out ulong address)
    {
        address = 0;
        foreach (ulong a in _addresses)
            address = Math.Max(address, a);
        return _addresses.Count > 0;
    }
}

/// <summary>Receives the ranges one input range maps to. Reused by the pass: read it before the next mapping.</summary>
public sealed class RangeSink
{
    private readonly ValueList<AddressRange> _ranges = new();

    /// <summary>What the visitor added; the pass's to read (a visitor only adds).</summary>
    internal ValueList<AddressRange> Ranges => _ranges;

    public int Count => _ranges.Count;

    /// <summary>What the range belongs to (the input entry and attribute: low_pc/high_pc, DW_AT_ranges, a location list).</summary>
    public MappingContext Context { get; internal set; }

    /// <summary>Adds [begin, end); an empty range is kept only if it is all the input maps to.</summary>
    public void Add(ulong begin, ulong end)
    {
        if (end < begin)
            throw new ArgumentException($"range end 0x{end:x} is below its begin 0x{begin:x}", nameof(end));
        _ranges.Add(new AddressRange(begin, end));
    }

    internal void Clear() => _ranges.Clear();
}
