namespace Dwarfsmith.Wasm.Compaction;

/// <summary>
/// Maps code offsets (DWARF addresses: offsets in the code section payload) of a module before a
/// change of encoding to the offsets after it. The map is a sorted list of boundaries, each an old
/// offset and its new offset: every instruction start, every function body's start and end, the
/// section's start and end. A tool that moves code builds one with <see cref="Builder"/>; a linker or
/// object writer can build one from its own layout and hand it to the DWARF remapping.
/// </summary>
public sealed class CodeOffsetMap
{
    // Arrays as the builder filled them: the first _count entries are the boundaries.
    private readonly uint[] _old;
    private readonly uint[] _new;
    private readonly int _count;

    /// <summary>
    /// An index over the old offsets: entry <c>b</c> is the first boundary at or above
    /// <c>b &lt;&lt; _bucketShift</c>, so a lookup searches only the few boundaries of its bucket
    /// (SQLite: 32 bytes of code, about 15 boundaries, instead of half a million). The last entry
    /// is past every boundary.
    /// </summary>
    private readonly int[] _bucketStarts;
    private readonly int _bucketShift;

    /// <summary>
    /// The boundary the last lookup found. DWARF asks for addresses mostly in ascending order (line
    /// rows, ranges), so the next answer is usually this one or the next. Only a hint: it is checked
    /// before use, so a stale value from another thread costs a search, never a wrong answer.
    /// </summary>
    private int _lastFloor;

    private CodeOffsetMap(uint[] oldOffsets, uint[] newOffsets, int count)
    {
        _old = oldOffsets;
        _new = newOffsets;
        _count = count;
        (_bucketStarts, _bucketShift) = BuildBuckets(oldOffsets, count);
    }

    private CodeOffsetMap(CodeOffsetMap shared)
    {
        _old = shared._old;
        _new = shared._new;
        _count = shared._count;
        _bucketStarts = shared._bucketStarts;
        _bucketShift = shared._bucketShift;
    }

    /// <summary>Buckets of 32 bytes, or wider where the offsets are sparse (at most about one bucket per boundary).</summary>
    private static (int[] Starts, int Shift) BuildBuckets(uint[] old, int count)
    {
        uint last = count > 0 ? old[count - 1] : 0;
        int shift = 5;
        while ((last >> shift) > (uint)Math.Max(count, 1024))
            shift++;
        var starts = new int[(int)(last >> shift) + 2];
        int index = 0;
        for (int bucket = 0; bucket < starts.Length; bucket++)
        {
            ulong bucketStart = (ulong)bucket << shift;
            while (index < count && old[index] < bucketStart)
                index++;
            starts[bucket] = index;
        }

        return (starts, shift);
    }

    /// <summary>
    /// A map over the same boundaries (not copied) with a lookup hint of its own, for a second
    /// thread that maps its own ascending addresses: sharing one hint, two such streams would
    /// each keep moving it away from the other and fall back to searching.
    /// </summary>
    public CodeOffsetMap WithOwnHint() => new(this);

    /// <summary>Number of boundaries.</summary>
    public int Count => _count;

    /// <summary>The old offsets of the boundaries, ascending.</summary>
    public ReadOnlySpan<uint> OldOffsets => _old.AsSpan(0, _count);

    /// <summary>The new offsets of the boundaries, in the order of <see cref="OldOffsets"/>.</summary>
    public ReadOnlySpan<uint> NewOffsets => _new.AsSpan(0, _count);

    /// <summary>Builds a map from boundaries given in ascending old order, with new offsets that never decrease.</summary>
    public static CodeOffsetMap Create(ReadOnlySpan<uint> oldOffsets, ReadOnlySpan<uint> newOffsets)
    {
        var builder = new Builder(oldOffsets.Length);
        if (oldOffsets.Length != newOffsets.Length)
            throw new ArgumentException("old and new offsets differ in number", nameof(newOffsets));
        for (int i = 0; i < oldOffsets.Length; i++)
            builder.Add(oldOffsets[i], newOffsets[i]);
        return builder.Build();
    }

    /// <summary>True when <paramref name="oldOffset"/> is a boundary (an instruction or function start, a function end).</summary>
    public bool TryMapExact(uint oldOffset, out uint newOffset)
    {
        int index = Floor(oldOffset);
        bool exact = index >= 0 && _old[index] == oldOffset;
        newOffset = exact ? _new[index] : 0;
        return exact;
    }

    /// <summary>
    /// Maps the address of an instruction (or any point of code). A boundary maps exactly; a point
    /// inside an instruction keeps its distance from the instruction start, bounded by the new
    /// instruction's length; a point beyond the last boundary keeps its distance from it.
    /// </summary>
    public ulong MapStart(ulong oldOffset)
    {
        int index = Floor(oldOffset);
        if (index < 0)
            return oldOffset;
        ulong delta = oldOffset - _old[index];
        if (index + 1 < _count)
            delta = Math.Min(delta, _new[index + 1] - _new[index]);
        return _new[index] + delta;
    }

    /// <summary>
    /// Maps an exclusive end of code: a boundary maps exactly (the end of the instruction before it);
    /// a point inside an instruction maps to the new end of that instruction.
    /// </summary>
    public ulong MapEnd(ulong oldOffset)
    {
        int index = Floor(oldOffset);
        if (index < 0)
            return oldOffset;
        if (_old[index] == oldOffset)
            return _new[index];
        return index + 1 < _count ? _new[index + 1] : _new[index] + (oldOffset - _old[index]);
    }

    /// <summary>Index of the last boundary at or below <paramref name="oldOffset"/>, or −1.</summary>
    private int Floor(ulong oldOffset)
    {
        var old = _old;
        int count = _count;
        if (oldOffset > uint.MaxValue)
            return count - 1;
        uint key = (uint)oldOffset;
        int hint = _lastFloor;
        if ((uint)hint < (uint)count && old[hint] <= key)
        {
            if (hint + 1 == count || old[hint + 1] > key)
                return hint;
            if (hint + 2 == count || old[hint + 2] > key)
                return _lastFloor = hint + 1;
        }

        // The last boundary at or below the key (−1 when the key is below the first): at or after
        // the last one below the key's bucket, before the first of the next bucket.
        long bucket = key >> _bucketShift;
        if (bucket >= _bucketStarts.Length - 1)
            return _lastFloor = count - 1;
        int low = _bucketStarts[bucket], high = _bucketStarts[bucket + 1] - 1;
        while (low <= high)
        {
            int middle = low + ((high - low) >> 1);
            if (old[middle] <= key)
                low = middle + 1;
            else
                high = middle - 1;
        }

        if (high >= 0)
            _lastFloor = high;
        return high;
    }

    /// <summary>Collects boundaries in ascending old order.</summary>
    public sealed class Builder
    {
        // Plain arrays: hundreds of thousands of boundaries, added in a tight loop. This builder's
        // boundaries are at [_start, _start + _count); it may fill up to _limit, past which the
        // arrays belong to a builder split off with SplitOff (or end).
        private uint[] _old;
        private uint[] _new;
        private int _start;
        private int _count;
        private int _limit;

        // For a split-off builder: the arrays and the end of the part it was given.
        private uint[]? _hostOld;
        private int _partEnd;

        public Builder(int capacity = 1024)
        {
            _old = new uint[Math.Max(capacity, 16)];
            _new = new uint[Math.Max(capacity, 16)];
            _limit = _old.Length;
        }

        private Builder(uint[] oldOffsets, uint[] newOffsets, int start, int limit)
        {
            _old = oldOffsets;
            _new = newOffsets;
            _start = start;
            _limit = limit;
        }

        /// <summary>The boundaries added so far.</summary>
        internal ReadOnlySpan<uint> OldOffsets => _old.AsSpan(_start, _count);

        /// <summary>The new offsets of <see cref="OldOffsets"/>.</summary>
        internal ReadOnlySpan<uint> NewOffsets => _new.AsSpan(_start, _count);

        /// <summary>
        /// A builder for a later stretch of code, filled at the same time as this one (on another
        /// thread): it takes the last <paramref name="capacity"/> free slots of this builder's
        /// arrays, so that neither allocates arrays of its own unless it outgrows its part (then it
        /// moves to arrays of its own, leaving the other's part alone). Its boundaries are appended
        /// to this builder once both are done.
        /// </summary>
        internal Builder SplitOff(int capacity)
        {
            int start = Math.Max(_start + _count, _limit - capacity);
            var later = new Builder(_old, _new, start, _limit) { _hostOld = _old, _partEnd = _limit };
            _limit = start;
            return later;
        }

        /// <summary>
        /// Appends the boundaries of a builder split off this one, with <paramref name="newBase"/>
        /// added to their new offsets (they were relative to the later stretch's start). While this
        /// builder is still in its first arrays, it takes back the later one's part: the later
        /// boundaries are copied down into place, or the part is free since they moved out.
        /// </summary>
        internal void Append(Builder later, uint newBase)
        {
            if (ReferenceEquals(later._hostOld, _old))
                _limit = later._partEnd;
            var oldOffsets = later.OldOffsets;
            var newOffsets = later.NewOffsets;
            // When both are in the same arrays, each write lands at or below the read just made.
            for (int i = 0; i < oldOffsets.Length; i++)
                Add(oldOffsets[i], newBase + newOffsets[i]);
        }

        /// <summary>Adds a boundary; old offsets must ascend strictly and new offsets must not descend.</summary>
        public void Add(uint oldOffset, uint newOffset)
        {
            int last = _start + _count - 1;
            if (_count > 0 && (oldOffset <= _old[last] || newOffset < _new[last]))
                throw OutOfOrder(oldOffset, newOffset, _old[last], _new[last]);

            if (_start + _count == _limit)
                MoveToLargerArrays();
            _old[_start + _count] = oldOffset;
            _new[_start + _count] = newOffset;
            _count++;
        }

        /// <summary>
        /// Adds the boundaries <c>oldBase + oldPositions[i]</c> → <c>newBase + newPositions[i]</c>
        /// (a body's instruction starts), under the same rule as <see cref="Add"/>.
        /// </summary>
        internal void AddRange(uint oldBase, ReadOnlySpan<int> oldPositions, uint newBase, ReadOnlySpan<int> newPositions)
        {
            if (oldPositions.Length != newPositions.Length)
                throw new ArgumentException("old and new positions differ in number", nameof(newPositions));
            if (oldPositions.IsEmpty)
                return;
            Add(oldBase + (uint)oldPositions[0], newBase + (uint)newPositions[0]);
            if (_start + _count + oldPositions.Length - 1 > _limit)
                MoveToLargerArrays(_count + oldPositions.Length - 1);
            int last = _start + _count - 1;
            var olds = _old.AsSpan(last, oldPositions.Length);
            var news = _new.AsSpan(last, oldPositions.Length);
            for (int i = 1; i < oldPositions.Length; i++)
            {
                uint oldOffset = oldBase + (uint)oldPositions[i], newOffset = newBase + (uint)newPositions[i];
                if (oldOffset <= olds[i - 1] || newOffset < news[i - 1])
                    throw OutOfOrder(oldOffset, newOffset, olds[i - 1], news[i - 1]);
                olds[i] = oldOffset;
                news[i] = newOffset;
            }

            _count += oldPositions.Length - 1;
        }

        /// <summary>The map of the boundaries added so far, over this builder's arrays (not copied: later additions go past its count).</summary>
        public CodeOffsetMap Build()
        {
            if (_start != 0)
                MoveToLargerArrays(); // a split-off builder's boundaries do not start its arrays
            return new(_old, _new, _count);
        }

        private static ArgumentException OutOfOrder(uint oldOffset, uint newOffset, uint lastOld, uint lastNew) =>
            new($"boundary 0x{oldOffset:x} -> 0x{newOffset:x} does not follow 0x{lastOld:x} -> 0x{lastNew:x}");

        private void MoveToLargerArrays(int needed = 0)
        {
            var grownOld = new uint[Math.Max(Math.Max(16, _count * 2), needed)];
            var grownNew = new uint[grownOld.Length];
            Array.Copy(_old, _start, grownOld, 0, _count);
            Array.Copy(_new, _start, grownNew, 0, _count);
            (_old, _new, _start, _limit) = (grownOld, grownNew, 0, grownOld.Length);
        }
    }
}
