using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Dwarfsmith.Dwarf.Collections;

/// <summary>
/// What <see cref="LongMap{TValue}"/> and <see cref="AscendingMap{TValue}"/> share: keys and values
/// in two flat arrays in insertion order, and the read-only dictionary over them. How a key is found
/// is the derived map's.
/// </summary>
public abstract class LongKeyedMap<TValue> : IReadOnlyDictionary<long, TValue>
{
    private protected long[] _keys;
    private protected TValue[] _values;
    private protected int _count;

    private protected LongKeyedMap(int capacity)
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

    /// <summary>The index of <paramref name="key"/> in the arrays, or −1.</summary>
    private protected abstract int Find(long key);

    /// <summary>Appends a key and its value to the arrays (doubling them when full); returns its index.</summary>
    private protected int AppendPair(long key, TValue value)
    {
        if (_count == _keys.Length)
        {
            var keys = new long[_count * 2];
            Array.Copy(_keys, keys, _count);
            _keys = keys;
            var values = new TValue[_count * 2];
            Array.Copy(_values, values, _count);
            _values = values;
        }

        _keys[_count] = key;
        _values[_count] = value;
        return _count++;
    }
}
