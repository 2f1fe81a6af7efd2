namespace Dwarfsmith.Wasm.CoreDumps;

/// <summary>A run of bytes of a dumped memory at an address.</summary>
public readonly record struct CoreMemorySegment(ulong Address, ReadOnlyMemory<byte> Bytes)
{
    public ulong End => Address + (ulong)Bytes.Length;
}

/// <summary>
/// One linear memory of a dump: its limits at the time of the dump (the minimum is its size in
/// pages then) and the bytes the dump holds. A dump may be partial: producers leave runs of zeros
/// out, so every byte inside the memory that no segment covers reads as zero. Where segments
/// overlap, the later one wins, as data segments do when a module is instantiated.
/// </summary>
public sealed class CoreMemory
{
    public const int PageSize = 65536;

    // Segments by address (stable), with the largest end of any segment up to each index, so that
    // a read finds the few segments that overlap it by binary search even when some overlap.
    private readonly CoreMemorySegment[] _byAddress;
    private readonly int[] _fileOrder;
    private readonly ulong[] _maxEnd;

    public CoreMemory(Limits limits, IReadOnlyList<CoreMemorySegment> segments)
    {
        ArgumentNullException.ThrowIfNull(segments);
        Limits = limits;
        Segments = segments;
        var order = Enumerable.Range(0, segments.Count).OrderBy(i => segments[i].Address).ToArray();
        _byAddress = order.Select(i => segments[i]).ToArray();
        _fileOrder = order;
        _maxEnd = new ulong[order.Length];
        ulong max = 0;
        for (int i = 0; i < _byAddress.Length; i++)
            _maxEnd[i] = max = Math.Max(max, _byAddress[i].End);
    }

    public Limits Limits { get; }

    /// <summary>The segments as the dump lists them.</summary>
    public IReadOnlyList<CoreMemorySegment> Segments { get; }

    /// <summary>Size of the memory in bytes: its current page count times 64 KiB.</summary>
    public ulong Size => Limits.Minimum > ulong.MaxValue / PageSize ? ulong.MaxValue : Limits.Minimum * PageSize;

    /// <summary>
    /// Copies <paramref name="destination"/>.Length bytes from <paramref name="address"/>: bytes no
    /// segment holds are zero. False (and nothing copied) when the range reaches past the memory.
    /// </summary>
    public bool TryRead(ulong address, Span<byte> destination)
    {
        var length = (ulong)destination.Length;
        if (address > Size || length > Size - address)
            return false;
        destination.Clear();
        var end = address + length;
        // The last segment starting before the end of the range; earlier ones may reach into it.
        int lo = 0, hi = _byAddress.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_byAddress[mid].Address < end)
                lo = mid + 1;
            else
                hi = mid;
        }

        var overlapping = new List<int>();
        for (int i = lo - 1; i >= 0 && _maxEnd[i] > address; i--)
        {
            if (_byAddress[i].End > address)
                overlapping.Add(i);
        }

        overlapping.Sort((a, b) => _fileOrder[a].CompareTo(_fileOrder[b]));
        foreach (var i in overlapping)
        {
            var segment = _byAddress[i];
            var from = Math.Max(segment.Address, address);
            var to = Math.Min(segment.End, end);
            segment.Bytes.Span[(int)(from - segment.Address)..(int)(to - segment.Address)].CopyTo(destination[(int)(from - address)..]);
        }

        return true;
    }

    /// <summary>
    /// A memory image as a dump writes it: the segments are the image's bytes without runs of at
    /// least <paramref name="minimumZeroRun"/> zeros (a run shorter than that costs less to keep than
    /// a segment header).
    /// </summary>
    public static CoreMemory FromImage(ReadOnlyMemory<byte> image, ulong pages, ulong? maximumPages = null, int minimumZeroRun = 16)
    {
        if ((ulong)image.Length > pages * PageSize)
            throw new ArgumentException("the image is larger than the memory", nameof(image));
        var segments = new List<CoreMemorySegment>();
        var span = image.Span;
        int i = 0;
        while (i < span.Length)
        {
            while (i < span.Length && span[i] == 0)
                i++;
            if (i == span.Length)
                break;
            int start = i, zeros = 0;
            while (i < span.Length && zeros < minimumZeroRun)
            {
                zeros = span[i] == 0 ? zeros + 1 : 0;
                i++;
            }

            segments.Add(new CoreMemorySegment((ulong)start, image[start..(i - zeros)]));
        }

        return new CoreMemory(new Limits(pages, maximumPages), segments);
    }
}
