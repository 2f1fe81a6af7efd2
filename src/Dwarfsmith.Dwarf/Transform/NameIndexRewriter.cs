using System.Buffers.Binary;
using Dwarfsmith.Dwarf.Collections;
using Dwarfsmith.Dwarf.Reading;
using Dwarfsmith.Dwarf.Writing;

namespace Dwarfsmith.Dwarf.Transform;

/// <summary>
/// Carries the DWARF 5 name index (.debug_names) over a rewrite by patching it in place. Every
/// offset it holds has a fixed width (unit offsets, .debug_str offsets, and DIE offsets in the
/// ref forms compilers use), while hashes, buckets, abbreviations and the entry pool's own layout
/// do not change when the entries they name move: so the section keeps its size and only the
/// offsets are rewritten, each name's string interned into the output's .debug_str. When that
/// cannot be done (a named entry or unit was left out, a unit is no longer DWARF 5, an offset no
/// longer fits its width), it says why and the caller leaves the section out.
/// </summary>
internal sealed class NameIndexRewriter
{
    private readonly DwarfSection _input;
    private readonly DwarfContext _context;
    private readonly IReadOnlyDictionary<long, EntryId> _entryMap;
    private readonly DwarfLayout _layout;
    private readonly DwarfOutput _output;
    private readonly Func<ReadOnlyMemory<byte>, long> _internString;
    private readonly byte[] _bytes;
    private readonly LongMap<Unit> _unitsByOffset = new();

    private NameIndexRewriter(DwarfSection input, DwarfContext context, IReadOnlyDictionary<long, EntryId> entryMap, DwarfLayout layout, DwarfOutput output, Func<ReadOnlyMemory<byte>, long> internString)
    {
        _input = input;
        _context = context;
        _entryMap = entryMap;
        _layout = layout;
        _output = output;
        _internString = internString;
        _bytes = input.Data.ToArray();
        foreach (var unit in context.Units)
            _unitsByOffset.Set(unit.Offset, unit);
    }

    /// <summary>
    /// The rewritten section, or null with <paramref name="reason"/> when it cannot be carried over.
    /// <paramref name="internString"/> gives the output .debug_str offset of a name (adding it if new).
    /// </summary>
    public static byte[]? Rewrite(
        DwarfSection input,
        DwarfContext context,
        IReadOnlyDictionary<long, EntryId> entryMap,
        DwarfLayout layout,
        DwarfOutput output,
        Func<ReadOnlyMemory<byte>, long> internString,
        out string? reason)
    {
        var rewriter = new NameIndexRewriter(input, context, entryMap, layout, output, internString);
        reason = rewriter.RewriteAll();
        return reason is null ? rewriter._bytes : null;
    }

    private string? RewriteAll()
    {
        var r = _input.Reader();
        while (r.Remaining > 0)
        {
            if (RewriteIndex(ref r) is { } reason)
                return reason;
        }

        return null;
    }

    /// <summary>One name index (a section may hold several, one per unit or linked object).</summary>
    private string? RewriteIndex(ref DwarfReader r)
    {
        long start = r.Offset;
        var (length, offsetSize) = r.ReadInitialLength();

        if (length > (ulong)r.Remaining)
            throw new DwarfFormatException("name index runs past the end of the section", _input.Name, start);
        long end = r.Offset + (long)length;
        ushort version = r.ReadU16();
        if (version != 5)
            return $"name index at 0x{start:x} has version {version}";
        r.ReadU16(); // padding
        uint unitCount = r.ReadU32(), localTypeUnitCount = r.ReadU32(), foreignTypeUnitCount = r.ReadU32();
        uint bucketCount = r.ReadU32(), nameCount = r.ReadU32(), abbreviationsSize = r.ReadU32(), augmentationSize = r.ReadU32();
        r.Skip(augmentationSize);

        // Unit lists: .debug_info offsets of compile units, then of local type units.
        var units = new ValueList<(Unit Input, int Output)>((int)Math.Min(unitCount + localTypeUnitCount, 1 << 16));
        for (ulong i = 0; i < (ulong)unitCount + localTypeUnitCount; i++)
        {
            long at = r.Offset;
            long inputOffset = (long)r.ReadOffset(offsetSize);
            if (!_unitsByOffset.TryGetValue(inputOffset, out var unit))
                throw new DwarfFormatException($"no unit at .debug_info offset 0x{inputOffset:x}", _input.Name, at);
            if (!_entryMap.TryGetValue(unit.FirstEntryOffset, out var root))
                return $"the unit at 0x{inputOffset:x} was left out";
            if (_output.Units[root.Unit].Version != 5)
                return $"the unit at 0x{inputOffset:x} is no longer DWARF 5";
            if (Patch(at, (ulong)_layout.UnitOffset(root.Unit), offsetSize) is { } overflow)
                return overflow;
            units.Add((unit, root.Unit));
        }

        r.Skip(8UL * foreignTypeUnitCount);
        if (bucketCount > 0)
            r.Skip((4UL * bucketCount) + (4UL * nameCount)); // buckets and hashes: names keep their strings

        for (uint i = 0; i < nameCount; i++)
        {
            long at = r.Offset;
            ulong stringOffset = r.ReadOffset(offsetSize);
            var name = DwarfContext.StringMemoryAt(_context.Str, stringOffset);
            if (Patch(at, (ulong)_internString(name), offsetSize) is { } overflow)
                return overflow;
        }

        if ((ulong)nameCount * (ulong)offsetSize > (ulong)(end - r.Offset))
            throw new DwarfFormatException($"{nameCount} entry offsets run past the index", _input.Name, r.Offset);
        var entryOffsets = new ulong[nameCount];
        for (uint i = 0; i < nameCount; i++)
            entryOffsets[i] = r.ReadOffset(offsetSize);
        long abbreviationsStart = r.Offset;
        var abbreviations = ReadAbbreviations(abbreviationsStart, abbreviationsSize, end);
        long pool = abbreviationsStart + abbreviationsSize;

        // Each name's entries run to a 0 code; a list already walked is not walked again.
        var walked = new HashSet<long>();
        foreach (ulong entryOffset in entryOffsets)
        {
            long position = pool + (long)Math.Min(entryOffset, (ulong)(end - pool));
            if (RewriteEntries(position, end, abbreviations, units, unitCount, localTypeUnitCount + (ulong)foreignTypeUnitCount, walked) is { } reason)
                return reason;
        }

        r.Seek(end);
        return null;
    }

    private Dictionary<ulong, (DwTag Tag, (DwIdx Index, DwForm Form)[] Attributes)> ReadAbbreviations(long start, uint size, long end)
    {
        if (start + size > end)
            throw new DwarfFormatException("name index abbreviations run past the index", _input.Name, start);
        var abbreviations = new Dictionary<ulong, (DwTag, (DwIdx, DwForm)[])>();
        var r = _input.ReaderAt(start);
        var attributes = new ValueList<(DwIdx, DwForm)>();
        while (r.Offset < start + size)
        {
            long at = r.Offset;
            ulong code = r.ReadULeb128();
            if (code == 0)
                break;
            var tag = (DwTag)r.ReadULeb128();
            attributes.Clear();
            while (true)
            {
                ulong index = r.ReadULeb128(), form = r.ReadULeb128();
                if (index == 0 && form == 0)
                    break;
                attributes.Add(((DwIdx)index, (DwForm)form));
            }

            if (!abbreviations.TryAdd(code, (tag, attributes.ToArray())))
                throw new DwarfFormatException($"abbreviation code {code} is declared twice", _input.Name, at);
        }

        return abbreviations;
    }

    private string? RewriteEntries(
        long position,
        long end,
        Dictionary<ulong, (DwTag Tag, (DwIdx Index, DwForm Form)[] Attributes)> abbreviations,
        ValueList<(Unit Input, int Output)> units,
        uint compileUnitCount,
        ulong typeUnitCount,
        HashSet<long> walked)
    {
        var r = _input.ReaderAt(position);
        while (r.Offset < end && walked.Add(r.Offset))
        {
            long entryStart = r.Offset;
            ulong code = r.ReadULeb128();
            if (code == 0)
                return null;
            if (!abbreviations.TryGetValue(code, out var abbreviation))
                throw new DwarfFormatException($"entry uses undeclared abbreviation code {code}", _input.Name, entryStart);
            long dieAt = -1;
            ulong unitIndex = 0;
            bool namesUnit = false, foreign = false;
            ulong dieOffset = 0;
            var dieForm = (DwForm)0;
            foreach (var (index, form) in abbreviation.Attributes)
            {
                long at = r.Offset;
                ulong value = ReadValue(ref r, form, entryStart);
                switch (index)
                {
                    case DwIdx.DW_IDX_compile_unit:
                        (unitIndex, namesUnit) = (value, true);
                        break;
                    case DwIdx.DW_IDX_type_unit:
                        // Local type units follow the compile units in the unit list; foreign ones
                        // (split DWARF, listed by signature) follow the local ones in numbering.
                        (unitIndex, namesUnit) = (value + compileUnitCount, true);
                        foreign = unitIndex >= (ulong)units.Count && value < typeUnitCount;
                        break;
                    case DwIdx.DW_IDX_die_offset:
                        (dieAt, dieOffset, dieForm) = (at, value, form);
                        break;
                }
            }

            if (dieAt < 0 || foreign)
                continue; // a foreign type unit's DIE is in a .dwo, which nothing here moves
            // Without DW_IDX_compile_unit the index has exactly one unit.
            if ((!namesUnit && units.Count != 1) || unitIndex >= (ulong)units.Count)
                throw new DwarfFormatException($"entry names unit {(namesUnit ? unitIndex.ToString() : "(none)")} of {units.Count}", _input.Name, entryStart);
            var (input, output) = units[(int)unitIndex];
            if (!_entryMap.TryGetValue(input.Offset + (long)dieOffset, out var id) || _layout.InfoOffset(id) is not { } placed || id.Unit != output)
                return $"the entry at 0x{input.Offset + (long)dieOffset:x} was left out";
            if (PatchForm(dieAt, (ulong)(placed - _layout.UnitOffset(output)), dieForm) is { } overflow)
                return overflow;
        }

        return null;
    }

    private ulong ReadValue(ref DwarfReader r, DwForm form, long entryStart) => form switch
    {
        DwForm.DW_FORM_data1 or DwForm.DW_FORM_ref1 or DwForm.DW_FORM_flag => r.ReadU8(),
        DwForm.DW_FORM_data2 or DwForm.DW_FORM_ref2 => r.ReadU16(),
        DwForm.DW_FORM_data4 or DwForm.DW_FORM_ref4 => r.ReadU32(),
        DwForm.DW_FORM_data8 or DwForm.DW_FORM_ref8 or DwForm.DW_FORM_ref_sig8 => r.ReadU64(),
        DwForm.DW_FORM_udata or DwForm.DW_FORM_ref_udata => r.ReadULeb128(),
        DwForm.DW_FORM_sdata => (ulong)r.ReadSLeb128(),
        DwForm.DW_FORM_flag_present => 1,
        _ => throw new DwarfFormatException($"name index entry attribute has form {form}", _input.Name, entryStart),
    };

    /// <summary>Writes a DIE offset in the width of its form (a ULEB keeps its byte count, padded).</summary>
    private string? PatchForm(long at, ulong value, DwForm form)
    {
        switch (form)
        {
            case DwForm.DW_FORM_ref1 or DwForm.DW_FORM_data1:
                return Patch(at, value, 1);
            case DwForm.DW_FORM_ref2 or DwForm.DW_FORM_data2:
                return Patch(at, value, 2);
            case DwForm.DW_FORM_ref4 or DwForm.DW_FORM_data4:
                return Patch(at, value, 4);
            case DwForm.DW_FORM_ref8 or DwForm.DW_FORM_data8:
                return Patch(at, value, 8);
            case DwForm.DW_FORM_ref_udata or DwForm.DW_FORM_udata:
                int width = 1;
                while ((_bytes[at + width - 1] & 0x80) != 0)
                    width++;
                return Leb.TryWriteUleb(_bytes.AsSpan((int)at, width), value)
                    ? null
                    : $"a DIE offset (0x{value:x}) no longer fits its {width}-byte ULEB";
            default:
                return $"DIE offsets of form {form} are not rewritten";
        }
    }

    private string? Patch(long at, ulong value, int size)
    {
        if (size < 8 && value >> (8 * size) != 0)
            return $"offset 0x{value:x} no longer fits {size} bytes";
        var span = _bytes.AsSpan((int)at, size);
        switch (size)
        {
            case 1:
                span[0] = (byte)value;
                break;
            case 2:
                BinaryPrimitives.WriteUInt16LittleEndian(span, (ushort)value);
                break;
            case 4:
                BinaryPrimitives.WriteUInt32LittleEndian(span, (uint)value);
                break;
            default:
                BinaryPrimitives.WriteUInt64LittleEndian(span, value);
                break;
        }

        return null;
    }
}
