namespace Dwarfsmith.Dwarf.Writing;

/// <summary>
/// Interns byte strings into one contiguous pool without allocating per item: an open-addressing
/// hash table of (start, length) slices of the pool. Used for .debug_str, .debug_line_str (the pool
/// is the section, NUL-separated) and abbreviation deduplication (keyed by the declaration's bytes).
/// Not generic: crossgen2 leaves a generic class constrained over CoreLib types to the JIT.
/// </summary>
internal sealed class SpanTable
{
    private byte[] _pool = new byte[1024];
    private int _poolLength;
    private Slot[] _slots = new Slot[256];
    private readonly List<int> _starts = [];
    private readonly List<int> _lengths = [];

    public int Count => _starts.Count;

    public int PoolLength => _poolLength;

    public ReadOnlySpan<byte> Pool => _pool.AsSpan(0, _poolLength);

    public ReadOnlyMemory<byte> PoolMemory => _pool.AsMemory(0, _poolLength);

    public int StartOf(int id) => _starts[id];

    public ReadOnlySpan<byte> Get(int id) => _pool.AsSpan(_starts[id], _lengths[id]);

    /// <summary>Returns the id of an equal span, adding it (at the end of the pool) when new.</summary>
    public int Intern(ReadOnlySpan<byte> item, out bool added)
    {
        int hash = Hash(item);
        int mask = _slots.Length - 1;
        int i = hash & mask;
        while (true)
        {
            ref var slot = ref _slots[i];
            if (slot.IdPlusOne == 0)
                break;
            if (slot.Hash == hash && Get(slot.IdPlusOne - 1).SequenceEqual(item))
            {
                added = false;
                return slot.IdPlusOne - 1;
            }

            i = (i + 1) & mask;
        }

        int id = _starts.Count;
        _starts.Add(_poolLength);
        _lengths.Add(item.Length);
        Append(item);
        _slots[i] = new Slot { Hash = hash, IdPlusOne = id + 1 };
        if (_starts.Count * 2 > _slots.Length)
            Grow();
        added = true;
        return id;
    }

    /// <summary>Appends to the pool outside any item (e.g. a NUL terminator).</summary>
    public void Append(ReadOnlySpan<byte> items)
    {
        if (_poolLength + items.Length > _pool.Length)
        {
            var pool = new byte[Math.Max(_pool.Length * 2, _poolLength + items.Length)];
            Buffer.BlockCopy(_pool, 0, pool, 0, _poolLength);
            _pool = pool;
        }

        items.CopyTo(_pool.AsSpan(_poolLength));
        _poolLength += items.Length;
    }

    public void Append(byte item)
    {
        if (_poolLength == _pool.Length)
            Append([item]);
        else
            _pool[_poolLength++] = item;
    }

    private void Grow()
    {
        var old = _slots;
        _slots = new Slot[old.Length * 2];
        int mask = _slots.Length - 1;
        foreach (var slot in old)
        {
            if (slot.IdPlusOne == 0)
                continue;
            int i = slot.Hash & mask;
            while (_slots[i].IdPlusOne != 0)
                i = (i + 1) & mask;
            _slots[i] = slot;
        }
    }

    private static int Hash(ReadOnlySpan<byte> item)
    {
        var hash = default(HashCode);
        hash.AddBytes(item);
        return hash.ToHashCode() & int.MaxValue;
    }

    private struct Slot
    {
        public int Hash;
        public int IdPlusOne;
    }
}
