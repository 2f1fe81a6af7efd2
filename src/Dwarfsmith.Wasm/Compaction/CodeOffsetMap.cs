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
    private readonly uint[] _old;
    private readonly uint[] _new;

    private CodeOffsetMap(uint[] oldOffsets, uint[] newOffsets)
    {
        _old = oldOffsets;
        _new = newOffsets;
    }

    /// <summary>Number of boundaries.</summary>
    public int Count => _old.Length;

    /// <summary>The old offsets of the boundaries, ascending.</summary>
    public ReadOnlySpan<uint> OldOffsets => _old;

    /// <summary>The new offsets of the boundaries, in the order of <see cref="OldOffsets"/>.</summary>
    public ReadOnlySpan<uint> NewOffsets => _new;

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
        int index = Array.BinarySearch(_old, oldOffset);
        newOffset = index >= 0 ? _new[index] : 0;
        return index >= 0;
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
        if (index + 1 < _old.Length)
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
        return index + 1 < _old.Length ? _new[index + 1] : _new[index] + (oldOffset - _old[index]);
    }

    /// <summary>Index of the last boundary at or below <paramref name="oldOffset"/>, or −1.</summary>
    private int Floor(ulong oldOffset)
    {
        if (oldOffset > uint.MaxValue)
            return _old.Length - 1;
        int index = Array.BinarySearch(_old, (uint)oldOffset);
        return index >= 0 ? index : ~index - 1;
    }

    /// <summary>Collects boundaries in ascending old order.</summary>
    public sealed class Builder(int capacity = 1024)
    {
        private readonly List<uint> _old = new(capacity);
        private readonly List<uint> _new = new(capacity);

        /// <summary>Adds a boundary; old offsets must ascend strictly and new offsets must not descend.</summary>
        public void Add(uint oldOffset, uint newOffset)
        {
            if (_old.Count > 0 && (oldOffset <= _old[^1] || newOffset < _new[^1]))
            {
                throw new ArgumentException(
                    $"boundary 0x{oldOffset:x} -> 0x{newOffset:x} does not follow 0x{_old[^1]:x} -> 0x{_new[^1]:x}");
            }
            _old.Add(oldOffset);
            _new.Add(newOffset);
        }

        public CodeOffsetMap Build() => new([.. _old], [.. _new]);
    }
}
