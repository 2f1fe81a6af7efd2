using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Dwarfsmith.Dwarf.Collections;

/// <summary>
/// A map from 64-bit keys to values whose keys arrive in ascending order, as section offsets do
/// when a section is walked front to back. Adding is an append to two flat arrays (no hashing, no
/// slot table); looking up is a binary search. The pass records an output entry for every input
/// entry it keeps, in walk order, and looks up far fewer than it records.
/// </summary>
public sealed class AscendingMap<TValue> : IReadOnlyDictionary<long, TValue>
{
    private long[] _keys;
    private TValue[] _values;
    private int _count;

    public AscendingMap(int capacity = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        _keys = new long[Math.Max(capacity, 8)];
        _values = new TValue[Math.Max(capacity, 8)];
    }

    public int Count => _count;

    public TValue this[long key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"no entry for 0x{key:x}");

    public IEnumerable<long> Keys
    {
        get
        {
            for (int i = 0; i < _count; i++)
                yield return _keys[i];
        }
    }

    public IEnumerable<TValue> Values
    {
        get
        {
            for (int i = 0; i < _count; i++)
                yield return _values[i];
        }
    }

    /// <summary>Adds <paramref name="key"/>, which must be above every key added before.</summary>
    public void Append(long key, TValue value)
    {
        if (_count > 0 && key <= _keys[_count - 1])
            throw new ArgumentException($"0x{key:x} does not follow the last key 0x{_keys[_count - 1]:x}", nameof(key));
        if (_count == _keys.Length)
            Grow();
        _keys[_count] = key;
        _values[_count++] = value;
    }

    public bool ContainsKey(long key) => Find(key) >= 0;

    public bool TryGetValue(long key, [MaybeNullWhen(false)] out TValue value)
    {
        int index = Find(key);
        if (index < 0)
        {
            value = default;
            return false;
        }

        value = _values[index];
        return true;
    }

    public IEnumerator<KeyValuePair<long, TValue>> GetEnumerator()
    {
        for (int i = 0; i < _count; i++)
            yield return new KeyValuePair<long, TValue>(_keys[i], _values[i]);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private int Find(long key)
    {
        int low = 0, high = _count - 1;
        var keys = _keys;
        while (low <= high)
        {
            int middle = (int)((uint)(low + high) >> 1);
            long probe = keys[middle];
            if (probe == key)
                return middle;
            if (probe < key)
                low = middle + 1;
            else
                high = middle - 1;
        }

        return -1;
    }

    private void Grow()
    {
        var keys = new long[_count * 2];
        Array.Copy(_keys, keys, _count);
        _keys = keys;
        var values = new TValue[_count * 2];
        Array.Copy(_values, values, _count);
        _values = values;
    }
}
