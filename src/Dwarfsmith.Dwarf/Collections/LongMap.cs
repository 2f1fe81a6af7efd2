using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Dwarfsmith.Dwarf.Collections;

/// <summary>
/// A hash map from 64-bit keys (section offsets, addresses) to values: open addressing with linear
/// probing, keys and values in flat arrays, no removal. Written here rather than using
/// <see cref="Dictionary{TKey, TValue}"/> for the reason <see cref="ValueList{T}"/> gives: ReadyToRun
/// precompiles it for this library's value types, so the pass does not start on unoptimized code.
/// Enumeration is in insertion order.
/// </summary>
public sealed class LongMap<TValue> : IReadOnlyDictionary<long, TValue>
{
    private int[] _slots; // index + 1 into _keys/_values, 0 when empty
    private long[] _keys;
    private TValue[] _values;
    private int _count;

    public LongMap(int capacity = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        int slots = 16;
        while (slots < capacity * 2)
            slots *= 2;
        _slots = new int[slots];
        _keys = new long[Math.Max(capacity, 8)];
        _values = new TValue[Math.Max(capacity, 8)];
    }

    public int Count => _count;

    public TValue this[long key]
    {
        get => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"no entry for 0x{key:x}");
        set => Set(key, value);
    }

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

    /// <summary>Adds the key or replaces its value.</summary>
    public void Set(long key, TValue value)
    {
        int mask = _slots.Length - 1;
        int slot = Hash(key) & mask;
        while (true)
        {
            int index = _slots[slot] - 1;
            if (index < 0)
                break;
            if (_keys[index] == key)
            {
                _values[index] = value;
                return;
            }

            slot = (slot + 1) & mask;
        }

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
        _slots[slot] = ++_count;
        if (_count * 2 > _slots.Length)
            Rehash();
    }

    public void Clear()
    {
        if (_count == 0)
            return;
        Array.Clear(_slots);
        Array.Clear(_values, 0, _count);
        _count = 0;
    }

    public IEnumerator<KeyValuePair<long, TValue>> GetEnumerator()
    {
        for (int i = 0; i < _count; i++)
            yield return new KeyValuePair<long, TValue>(_keys[i], _values[i]);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private int Find(long key)
    {
        int mask = _slots.Length - 1;
        int slot = Hash(key) & mask;
        while (true)
        {
            int index = _slots[slot] - 1;
            if (index < 0 || _keys[index] == key)
                return index;
            slot = (slot + 1) & mask;
        }
    }

    private void Rehash()
    {
        _slots = new int[_slots.Length * 2];
        int mask = _slots.Length - 1;
        for (int i = 0; i < _count; i++)
        {
            int slot = Hash(_keys[i]) & mask;
            while (_slots[slot] != 0)
                slot = (slot + 1) & mask;
            _slots[slot] = i + 1;
        }
    }

    /// <summary>Fibonacci hashing: offsets are dense and aligned, so their low bits alone probe badly.</summary>
    private static int Hash(long key) => (int)(((ulong)key * 0x9E3779B97F4A7C15UL) >> 33);
}
