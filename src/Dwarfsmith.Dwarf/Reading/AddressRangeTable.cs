namespace Dwarfsmith.Dwarf.Reading;

/// <summary>One (address, length) tuple of .debug_aranges.</summary>
public readonly record struct AddressRange(ulong Address, ulong Length, long Offset);

/// <summary>One set of .debug_aranges: the header and its tuples.</summary>
public sealed class AddressRangeTable
{
    public long Offset { get; private init; }

    public ulong Length { get; private init; }

    public int OffsetSize { get; private init; }

    public int Version { get; private init; }

    /// <summary>Offset of the unit in .debug_info.</summary>
    public ulong InfoOffset { get; private init; }

    public int AddressSize { get; private init; }

    public int SegmentSelectorSize { get; private init; }

    public IReadOnlyList<AddressRange> Ranges { get; private init; } = [];

    internal static List<AddressRangeTable> ReadAll(DwarfSection section)
    {
        var list = new List<AddressRangeTable>();
        var r = section.Reader();
        while (!r.AtEnd)
        {
            var start = r.Offset;
            var (length, offsetSize) = r.ReadInitialLength();
            var body = r.Slice(length);
            int version = body.ReadU16();
            if (version != 2)
                throw body.ErrorAt(body.Offset - 2, $"unsupported .debug_aranges version {version}");
            var infoOffset = body.ReadOffset(offsetSize);
            int addressSize = body.ReadU8();
            int segmentSize = body.ReadU8();
            if (addressSize is not (1 or 2 or 4 or 8))
                throw body.ErrorAt(body.Offset - 2, $"unsupported address size {addressSize}");
            if (segmentSize is not (0 or 1 or 2 or 4 or 8))
                throw body.ErrorAt(body.Offset - 1, $"unsupported segment selector size {segmentSize}");
            var tuple = (2 * addressSize) + segmentSize;
            var misalign = (int)((body.Offset - start) % tuple);
            if (misalign != 0)
                body.Skip((ulong)Math.Min(tuple - misalign, body.Remaining));
            var ranges = new List<AddressRange>();
            while (body.Remaining >= tuple)
            {
                var at = body.Offset;
                if (segmentSize > 0)
                    body.ReadUInt(segmentSize);
                var address = body.ReadAddress(addressSize);
                var len = body.ReadAddress(addressSize);
                if (address == 0 && len == 0)
                    break;
                ranges.Add(new AddressRange(address, len, at));
            }

            list.Add(new AddressRangeTable
            {
                Offset = start,
                Length = length,
                OffsetSize = offsetSize,
                Version = version,
                InfoOffset = infoOffset,
                AddressSize = addressSize,
                SegmentSelectorSize = segmentSize,
                Ranges = ranges,
            });
        }

        return list;
    }
}
