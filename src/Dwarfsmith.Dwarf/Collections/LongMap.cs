namespace Dwarfsmith.Dwarf.Collections;

/// <summary>
/// A hash map from 64-bit keys (section offsets, addresses) to values: open addressing with linear
/// probing over a slot table that indexes the flat key and value arrays, no removal. Written here
/// rather than using <see cref="Dictionary{TKey, TValue}"/> for the reason <see cref="ValueList{T}"/>
/// gives: ReadyToRun precompiles it for this library's value types, so the pass does not start on
/// unoptimized code. Enumeration is in insertion order.
/// </summary>
public sealed class LongMap<TValue> : LongKeyedMap<TValue>
{
    private int[] _slots; // index + 1 into _keys/_values, 0 when empty

    public LongMap(int capacity = 0)
        : base(capacity)
    {
        int slots = 16;
        while (slots < capacity * 2)
            slots *= 2;
        _slots = new int[slots];
    }

    public new TValue this[long key]
    {
        get => base[key];
        set => Set(key, value);
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

        _slots[slot] = AppendPair(key, value) + 1;
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

    private protected override int Find(long key)
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
