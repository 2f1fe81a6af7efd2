namespace Dwarfsmith.Dwarf.Collections;

/// <summary>
/// A map from 64-bit keys to values whose keys arrive in ascending order, as section offsets do
/// when a section is walked front to back. Adding is an append to two flat arrays (no hashing, no
/// slot table); looking up is a binary search. The pass records an output entry for every input
/// entry it keeps, in walk order, and looks up far fewer than it records.
/// </summary>
public sealed class AscendingMap<TValue>(int capacity = 0) : LongKeyedMap<TValue>(capacity)
{
    /// <summary>Adds <paramref name="key"/>, which must be above every key added before.</summary>
    public void Append(long key, TValue value)
    {
        if (_count > 0 && key <= _keys[_count - 1])
            throw new ArgumentException($"0x{key:x} does not follow the last key 0x{_keys[_count - 1]:x}", nameof(key));
        AppendPair(key, value);
    }

    private protected override int Find(long key)
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
}
