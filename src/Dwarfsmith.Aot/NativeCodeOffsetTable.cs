using System.Buffers.Binary;
using Dwarfsmith.Aot.NativeDwarf;
using Dwarfsmith.Dwarf;
using Dwarfsmith.Dwarf.Reading;
using Dwarfsmith.Elf;
using Dwarfsmith.Tools;

namespace Dwarfsmith.Aot;

/// <summary>
/// The native pc → wasm code offset table that the runtime reads when a guard page catches an
/// out-of-bounds access (Runtime/wasm_code_map.c documents the format). The translated C has a
/// <c>#line &lt;code offset&gt; "&lt;module&gt;.wasm"</c> before every instruction, so the linked
/// executable's own <c>.debug_line</c> already maps native addresses to code offsets; this reduces it
/// to sorted (pc, code offset) rows, read with our DWARF reader, attached as a non-allocated section
/// (<see cref="RuntimeTables"/>, or <see cref="NativeDwarf.NativeDebugInfo"/> with <c>-g</c>), which costs nothing at run time until a fault.
/// </summary>
internal static class NativeCodeOffsetTable
{
    public const string SectionName = ".dwarfsmith.code_offsets";

    /// <summary>A code offset meaning "no wasm instruction here" (runtime code, line 0, gaps).</summary>
    public const uint NoCodeOffset = NativeCodeMap.NoCodeOffset;

    private const int HeaderSize = 24;

    private static readonly byte[] Magic = "DWSMCO1\0"u8.ToArray();

    /// <summary>The section's bytes for a map already read: a row where the code offset changes, and where a gap begins.</summary>
    public static byte[] Build(NativeCodeMap map)
    {
        var rows = new List<(ulong Pc, uint CodeOffset)>();
        void Add(ulong pc, uint codeOffset)
        {
            if (rows.Count == 0 || rows[^1].CodeOffset != codeOffset)
                rows.Add((pc, codeOffset));
        }

        var ranges = map.Ranges;
        for (int i = 0; i < ranges.Count; i++)
        {
            Add(ranges[i].Start, ranges[i].CodeOffset);
            if (i + 1 == ranges.Count || ranges[i + 1].Start != ranges[i].End)
                Add(ranges[i].End, NoCodeOffset);
        }

        var firstPc = rows.Count > 0 ? rows[0].Pc : 0;
        if (rows.Count > 0 && rows[^1].Pc - firstPc > uint.MaxValue)
            throw new AotException("the executable's code spans more than 4 GiB: no code offset table");
        var bytes = new byte[HeaderSize + (rows.Count * 8)];
        Magic.CopyTo(bytes, 0);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(8), firstPc);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(16), (uint)rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var at = HeaderSize + (i * 8);
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at), (uint)(rows[i].Pc - firstPc));
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at + 4), rows[i].CodeOffset);
        }
        return bytes;
    }
}
