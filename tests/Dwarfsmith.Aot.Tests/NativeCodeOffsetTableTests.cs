using System.Buffers.Binary;
using Dwarfsmith.Elf;
using Dwarfsmith.TestSupport;
using Xunit;

namespace Dwarfsmith.Aot.Tests;

/// <summary>
/// The pc → code offset table attached to executables for guard-page traps, against llvm-symbolizer
/// as the oracle: at the first and last byte of every row's range, the table's code offset is the line that
/// llvm-symbolizer reads from the executable's line table for the module's file (and "none" where it
/// names another file or line 0). Also: the section is in the executable the AOT compiler wrote.
/// </summary>
public sealed class NativeCodeOffsetTableTests
{
    [Theory]
    [InlineData("structs", "clang-22", 2)]
    [InlineData("structs", "gcc", 2)]
    [InlineData("floats", "clang-22", 0)]
    public void Table_agrees_with_llvm_symbolizer(string name, string compiler, int level)
    {
        var wasm = Corpus.Get(name).BuildWasm(OptLevel.O2).Path;
        var executable = AotHarness.Compile(wasm, level, compiler);
        var elf = ElfFile.Read(File.ReadAllBytes(executable));
        var section = elf.FindSection(NativeCodeOffsetTable.SectionName);
        Assert.NotNull(section);
        var table = section.Data.Span;

        var firstPc = BinaryPrimitives.ReadUInt64LittleEndian(table[8..]);
        var count = (int)BinaryPrimitives.ReadUInt32LittleEndian(table[16..]);
        Assert.True(count > 100, $"only {count} rows");
        // Every row, at its first and its last byte.
        var samples = new List<(ulong Pc, uint CodeOffset)>();
        for (var i = 0; i + 1 < count; i++)
        {
            var start = BinaryPrimitives.ReadUInt32LittleEndian(table[(24 + (i * 8))..]);
            var next = BinaryPrimitives.ReadUInt32LittleEndian(table[(24 + ((i + 1) * 8))..]);
            var codeOffset = BinaryPrimitives.ReadUInt32LittleEndian(table[(28 + (i * 8))..]);
            samples.Add((firstPc + start, codeOffset));
            samples.Add((firstPc + next - 1, codeOffset));
        }
        var output = ProcessRunner.Run(Toolchain.Require("llvm-symbolizer"),
            ["--obj=" + executable, "--no-inlines"],
            new ProcessOptions { StandardInput = string.Join('\n', samples.Select(s => $"0x{s.Pc:x}")) + "\n" }).EnsureSuccess().StandardOutput;
        // Per address: the function, then file:line:column, then a blank line.
        var locations = output.Split('\n').Where((_, index) => index % 3 == 1).ToList();
        Assert.Equal(samples.Count, locations.Count(l => l.Length > 0));
        var wasmFile = Path.GetFileName(wasm) + ":";
        for (var i = 0; i < samples.Count; i++)
        {
            var location = locations[i];
            var at = location.IndexOf(wasmFile, StringComparison.Ordinal);
            var line = at >= 0 ? uint.Parse(location[(at + wasmFile.Length)..].Split(':')[0]) : 0;
            var expected = line == 0 ? NativeCodeOffsetTable.NoCodeOffset : line;
            Assert.True(expected == samples[i].CodeOffset, $"pc 0x{samples[i].Pc:x}: table 0x{samples[i].CodeOffset:x}, llvm-symbolizer {location}");
        }
    }
}
