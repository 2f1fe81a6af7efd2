using Dwarfsmith.Dwarf.Collections;

namespace Dwarfsmith.Dwarf.Writing;

/// <summary>
/// Values numbered in the order they are first given: the pools behind DW_FORM_addrx
/// (.debug_addr, addresses) and DW_FORM_strx (.debug_str_offsets, string offsets).
/// </summary>
internal sealed class IndexPool
{
    private readonly ValueList<ulong> _values = new();
    private readonly LongMap<int> _indices = new();

    public int Count => _values.Count;

    public ValueList<ulong> Values => _values;

    /// <summary>The index of <paramref name="value"/>, numbering it if it is new.</summary>
    public int Intern(ulong value)
    {
        if (!_indices.TryGetValue((long)value, out int index))
        {
            index = _values.Count;
            _values.Add(value);
            _indices.Set((long)value, index);
        }

        return index;
    }

    /// <summary>Numbers <paramref name="value"/> anew even when it is there already (to reproduce a pool index for index).</summary>
    public int Append(ulong value)
    {
        if (!_indices.ContainsKey((long)value))
            _indices.Set((long)value, _values.Count);
        _values.Add(value);
        return _values.Count - 1;
    }

    public void Clear()
    {
        _values.Clear();
        _indices.Clear();
    }
}
