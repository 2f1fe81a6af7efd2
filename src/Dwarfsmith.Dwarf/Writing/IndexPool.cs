namespace Dwarfsmith.Dwarf.Writing;

/// <summary>
/// Values numbered in the order they are first given: the pools behind DW_FORM_addrx
/// (.debug_addr) and DW_FORM_strx (.debug_str_offsets).
/// </summary>
internal sealed class IndexPool<T>
    where T : notnull
{
    private readonly List<T> _values = [];
    private readonly Dictionary<T, int> _indices = [];

    public int Count => _values.Count;

    public IReadOnlyList<T> Values => _values;

    /// <summary>The index of <paramref name="value"/>, numbering it if it is new.</summary>
    public int Intern(T value)
    {
        if (!_indices.TryGetValue(value, out int index))
        {
            index = _values.Count;
            _values.Add(value);
            _indices.Add(value, index);
        }

        return index;
    }

    /// <summary>Numbers <paramref name="value"/> anew even when it is there already (to reproduce a pool index for index).</summary>
    public int Append(T value)
    {
        _indices.TryAdd(value, _values.Count);
        _values.Add(value);
        return _values.Count - 1;
    }

    public void Clear()
    {
        _values.Clear();
        _indices.Clear();
    }
}
