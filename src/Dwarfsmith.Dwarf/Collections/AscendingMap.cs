namespace Dwarfsmith.Dwarf.Collections;

/// <summary>
/// A map from 64-bit keys to values whose keys arrive in ascending order, as section offsets do
/// when a section is walked front to back. Adding is an append to two flat arrays (no hashing, no
/// slot table); looking up is a binary search within a bucket of a coarse index over the keys,
/// built on the first look-up after the last append. The pass records an output entry for every
/// input entry it keeps, in walk order, and looks them up once the walk is done.
/// </summary>
public sealed class AscendingMap<TValue>(int capacity = 0) : LongKeyedMap<TValue>(capacity)
{
    private BucketIndex? _index;

    /// <summary>Adds <paramref name="key"/>, which must be above every key added before.</summary>
    public void Append(long key, TValue value)
    {
        if (_count > 0 && key <= _keys[_count - 1])
            throw new ArgumentException($"0x{key:x} does not follow the last key 0x{_keys[_count - 1]:x}", nameof(key));
        AppendPair(key, value);
    }

    private protected override int Find(long key)
    {
        if (_count == 0)
            return -1;
        var index = _index;
        if (index is null || index.Count != _count)
            _index = index = new BucketIndex(_keys, _count); // a look-up from another thread at worst builds the same index again

        var keys = _keys;
        if (key < keys[0] || key > keys[_count - 1])
            return -1;
        long bucket = (long)((ulong)(key - keys[0]) >> index.Shift);
        int low = index.Starts[bucket], high = index.Starts[bucket + 1] - 1;
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

    /// <summary>
    /// Entry <c>b</c> of <see cref="Starts"/> is the first key at or above the first key plus
    /// <c>b &lt;&lt; Shift</c>; buckets are as wide as makes them about an eighth as many as the
    /// keys (.debug_info offsets of SQLite: 64 bytes, about 5 entries each, within a cache line of
    /// keys), and a look-up searches its bucket only, instead of every key with a cache miss at
    /// each step.
    /// </summary>
    private sealed class BucketIndex
    {
        public BucketIndex(long[] keys, int count)
        {
            Count = count;
            ulong span = (ulong)(keys[count - 1] - keys[0]);
            int shift = 0;
            while ((span >> shift) > (ulong)Math.Max(count / 8, 1))
                shift++;
            Shift = shift;
            Starts = new int[(int)(span >> shift) + 2];
            int next = 0;
            for (int b = 0; b < Starts.Length; b++)
            {
                while (next < count && (ulong)(keys[next] - keys[0]) >> shift < (ulong)b)
                    next++;
                Starts[b] = next;
            }
        }

        public int Count { get; }

        public int Shift { get; }

        public int[] Starts { get; }
    }
}
