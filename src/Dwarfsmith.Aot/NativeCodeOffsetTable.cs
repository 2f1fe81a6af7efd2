using System.Buffers.Binary;
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
/// to sorted (pc, code offset) rows, read with our DWARF reader, and attaches them as a non-allocated
/// section, which costs nothing at run time until a fault.
/// </summary>
internal static class NativeCodeOffsetTable
{
    public const string SectionName = ".dwarfsmith.code_offsets";

    /// <summary>A code offset meaning "no wasm instruction here" (runtime code, line 0, gaps).</summary>
    public const uint NoCodeOffset = 0xFFFFFFFF;

    private const int HeaderSize = 24;

    private static readonly byte[] Magic = "DWSMCO1\0"u8.ToArray();

    private readonly record struct Row(ulong Pc, uint CodeOffset, bool EndsSequence, int Order);

    /// <summary>
    /// Builds the table from <paramref name="executable"/> and adds it as <see cref="SectionName"/>
    /// with objcopy (written to a temporary file next to it first).
    /// </summary>
    public static void Attach(string executable, string lineFileName, string objcopy)
    {
        var table = Build(File.ReadAllBytes(executable), lineFileName);
        var tablePath = executable + ".code_offsets";
        File.WriteAllBytes(tablePath, table);
        try
        {
            var (exitCode, output) = AotCompiler.Run(objcopy, ["--add-section", $"{SectionName}={tablePath}", executable]);
            if (exitCode != 0)
                throw new AotException($"{objcopy} failed (exit {exitCode}) adding {SectionName}:\n{output}");
        }
        finally
        {
            File.Delete(tablePath);
        }
    }

    /// <summary>The section's bytes: rows whose file is <paramref name="lineFileName"/> carry their line as the code offset.</summary>
    public static byte[] Build(ReadOnlyMemory<byte> executable, string lineFileName)
    {
        var rows = ReadRows(executable, lineFileName);
        rows.Sort((x, y) => x.Pc != y.Pc ? x.Pc.CompareTo(y.Pc)
            // At one address, a sequence's end comes before the next sequence's first row, and of
            // several rows the last in program order describes the instruction there.
            : x.EndsSequence != y.EndsSequence ? (x.EndsSequence ? -1 : 1)
            : x.Order.CompareTo(y.Order));
        var compact = new List<Row>();
        foreach (var row in rows)
        {
            if (compact.Count > 0 && compact[^1].Pc == row.Pc)
                compact[^1] = row;
            else if (compact.Count == 0 || compact[^1].CodeOffset != row.CodeOffset)
                compact.Add(row);
        }

        var firstPc = compact.Count > 0 ? compact[0].Pc : 0;
        if (compact.Count > 0 && compact[^1].Pc - firstPc > uint.MaxValue)
            throw new AotException("the executable's code spans more than 4 GiB: no code offset table");
        var bytes = new byte[HeaderSize + (compact.Count * 8)];
        Magic.CopyTo(bytes, 0);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(8), firstPc);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(16), (uint)compact.Count);
        for (var i = 0; i < compact.Count; i++)
        {
            var at = HeaderSize + (i * 8);
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at), (uint)(compact[i].Pc - firstPc));
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at + 4), compact[i].CodeOffset);
        }
        return bytes;
    }

    private static List<Row> ReadRows(ReadOnlyMemory<byte> executable, string lineFileName)
    {
        var rows = new List<Row>();
        var sequence = new List<Row>();
        var context = new DwarfContext(DwarfContainers.FromElf(ElfFile.Read(executable)));
        foreach (var unit in context.Units)
        {
            if (unit.ReadLineProgram() is not { } program)
                continue;
            var isModuleFile = new Dictionary<ulong, bool>();
            var cursor = program.Rows();
            while (cursor.MoveNext())
            {
                var row = cursor.Current;
                if (!isModuleFile.TryGetValue(row.File, out var fromModule))
                {
                    fromModule = program.TryGetFile(row.File, out var entry)
                        && (entry.Path == lineFileName || entry.Path.EndsWith("/" + lineFileName, StringComparison.Ordinal));
                    isModuleFile.Add(row.File, fromModule);
                }
                var codeOffset = row.EndSequence || !fromModule || row.Line == 0 || row.Line >= NoCodeOffset ? NoCodeOffset : (uint)row.Line;
                if (row.EndSequence)
                {
                    // Rows at the sequence's end address cover no byte (gcc writes one before its
                    // end_sequence): left in, they would outrank the end and claim the gap after it.
                    while (sequence.Count > 0 && sequence[^1].Pc == row.Address)
                        sequence.RemoveAt(sequence.Count - 1);
                }
                sequence.Add(new Row(row.Address, codeOffset, row.EndSequence, rows.Count + sequence.Count));
                if (!row.EndSequence)
                    continue;
                // A sequence at a tombstone address is code the linker dropped.
                if (!Tombstones.IsTombstone(sequence[0].Pc, program.AddressSize, zeroIsTombstone: true))
                    rows.AddRange(sequence);
                sequence.Clear();
            }
            sequence.Clear();
        }
        return rows;
    }
}
