using Dwarfsmith.Dwarf.Reading;
using Dwarfsmith.Dwarf.Writing;

namespace Dwarfsmith.Dwarf.Transform;

/// <summary>
/// Carries .debug_pubnames and .debug_pubtypes (DWARF 2–4) and their GNU variants over a rewrite:
/// each name keeps naming the same entry, now at its output offset, in a set for the entry's output
/// unit. Names of entries the visitor left out are dropped.
/// </summary>
internal static class NameTableRewriter
{
    public static bool Handles(string section) => section is DwarfSections.Pubnames or DwarfSections.Pubtypes
        or ".debug_gnu_pubnames" or ".debug_gnu_pubtypes";

    public static byte[] Rewrite(DwarfSection input, IReadOnlyDictionary<long, EntryId> entryMap, DwarfLayout layout, DwarfOutput output)
    {
        bool gnu = input.Name.StartsWith(".debug_gnu_", StringComparison.Ordinal);
        var byUnit = new SortedDictionary<int, List<(long Offset, byte Flags, ReadOnlyMemory<byte> Name)>>();
        var r = input.Reader();
        while (r.Remaining > 0)
        {
            long setStart = r.Offset;
            var (length, offsetSize) = r.ReadInitialLength();

            long setEnd = r.Offset + (long)length;
            if (length > (ulong)r.Remaining)
                throw new DwarfFormatException("name set runs past the end of the section", input.Name, setStart);
            r.ReadU16(); // version 2
            long infoOffset = (long)r.ReadOffset(offsetSize);
            r.ReadOffset(offsetSize); // the unit's size: recomputed
            while (r.Offset < setEnd)
            {
                long entryOffset = (long)r.ReadOffset(offsetSize);
                if (entryOffset == 0)
                    break;
                byte flags = gnu ? r.ReadU8() : (byte)0;
                long nameStart = r.Offset;
                while (r.ReadU8() != 0)
                {
                }

                var name = input.Data.Slice((int)nameStart, (int)(r.Offset - nameStart - 1));
                if (entryMap.TryGetValue(infoOffset + entryOffset, out var id) && layout.InfoOffset(id) is { } placed)
                {
                    if (!byUnit.TryGetValue(id.Unit, out var names))
                        byUnit[id.Unit] = names = [];
                    names.Add((placed - layout.UnitOffset(id.Unit), flags, name));
                }
            }

            r.Seek(setEnd);
        }

        var buffer = new ByteBuffer(input.Length + 64);
        foreach (var (unit, names) in byUnit)
        {
            int offsetSize = output.Units[unit].OffsetSize;
            int lengthAt = buffer.ReserveUnitLength(offsetSize);
            buffer.WriteU16(2);
            buffer.WriteFixed((ulong)layout.UnitOffset(unit), offsetSize);
            buffer.WriteFixed((ulong)layout.UnitSize(unit), offsetSize);
            foreach (var (offset, flags, name) in names)
            {
                buffer.WriteFixed((ulong)offset, offsetSize);
                if (gnu)
                    buffer.WriteU8(flags);
                buffer.WriteBytes(name.Span);
                buffer.WriteU8(0);
            }

            buffer.WriteFixed(0, offsetSize);
            buffer.PatchUnitLength(lengthAt, offsetSize);
        }

        return buffer.ToArray();
    }
}
