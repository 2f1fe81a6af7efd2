using System.Text.RegularExpressions;
using Dwarfsmith.Dwarf.Reading;
using Dwarfsmith.Elf;
using Dwarfsmith.TestSupport;
using Dwarfsmith.Tools;
using Xunit;

namespace Dwarfsmith.Dwarf.Tests;

public partial class ElfAndArangesTests
{
    [Theory]
    [InlineData(false, 8)]
    [InlineData(true, 4)]
    public void Elf_sections_match_llvm_objdump(bool host32, int addressSize)
    {
        var path = CCompiler.Compile(Corpus.Get("structs").SourcePath, CompileOptions.Host(OptLevel.O0, 5, CompileTarget.HostGcc) with { Host32 = host32 }).Path;
        var elf = ElfFile.Read(File.ReadAllBytes(path));
        Assert.Equal(addressSize, elf.AddressSize);
        var headers = LlvmDump.RunTool(Toolchain.LlvmObjdump, "-h", path);
        var expected = SectionLine().Matches(headers).Select(m => (m.Groups[1].Value, Convert.ToUInt64(m.Groups[2].Value, 16))).ToList();
        var actual = elf.Sections.Skip(1).Select(s => (s.Name, s.Size)).ToList();
        Assert.Equal(expected, actual);
        var sections = DwarfContainers.FromElf(elf);
        Assert.Equal(addressSize, sections.AddressSize);
        Assert.True(sections.ZeroIsTombstone);
        Assert.True(sections[DwarfSections.Info].Length > 0);
        Assert.Equal((long)elf.FindSection(DwarfSections.Info)!.Offset, sections[DwarfSections.Info].FileOffset);
    }

    [Fact]
    public void Compressed_debug_sections_are_reported_as_unsupported()
    {
        var path = CCompiler.Compile(Corpus.Get("structs").SourcePath, CompileOptions.Host(OptLevel.O0, 4, CompileTarget.HostGcc) with { Flags = ["-gz=zlib"] }).Path;
        var elf = ElfFile.Read(File.ReadAllBytes(path));
        Assert.Contains(elf.Sections, s => s.IsCompressed);
        var e = Assert.Throws<ElfFormatException>(() => DwarfContainers.FromElf(elf));
        Assert.StartsWith(".debug_", e.Section, StringComparison.Ordinal);
        Assert.Contains("compressed", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Damaged_elf_files_raise_only_ElfFormatException()
    {
        var original = File.ReadAllBytes(CCompiler.Compile(Corpus.Get("loops").SourcePath, CompileOptions.Host(OptLevel.O0, 4)).Path);
        var rejected = 0;
        for (var seed = 0; seed < 2000; seed++)
        {
            var (bytes, kind, description) = ByteMutator.Mutate(original, seed);
            // Damage lands in the headers more often when the file is cut to the ELF header and the section table.
            try
            {
                var elf = ElfFile.Read(bytes);
                _ = elf.Sections.Sum(s => s.Data.Length);
            }
            catch (ElfFormatException e)
            {
                rejected++;
                Assert.StartsWith("at 0x", e.Message, StringComparison.Ordinal);
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                Assert.Fail($"seed {seed} ({kind}: {description}): {e}");
            }
        }

        Assert.Throws<ElfFormatException>(() => ElfFile.Read(original.AsMemory(0, 40)));
        Assert.Throws<ElfFormatException>(() => ElfFile.Read(new byte[] { 0, 0x61, 0x73, 0x6D, 1, 0, 0, 0 }));
        Assert.True(rejected > 0, "no damage was noticed");
    }

    [Theory]
    [InlineData("structs", 4)]
    [InlineData("recursion", 5)]
    [InlineData("floats", 5)]
    public void Address_ranges_match_llvm_dwarfdump(string program, int dwarfVersion)
    {
        var path = CCompiler.Compile(Corpus.Get(program).SourcePath, CompileOptions.Host(OptLevel.O2, dwarfVersion, CompileTarget.HostGcc)).Path;
        var tables = new DwarfContext(DwarfInputs.Load(path)).ReadAddressRanges();
        var text = LlvmDump.Run(path, "--debug-aranges");
        var headers = ArangeHeader().Matches(text).Select(m => LlvmDump.Hex(m.Groups[1].Value)).ToList();
        var ranges = ArangeLine().Matches(text).Select(m => ((ulong)LlvmDump.Hex(m.Groups[1].Value), (ulong)LlvmDump.Hex(m.Groups[2].Value))).ToList();
        Assert.NotEmpty(ranges);
        Assert.Equal(headers, tables.Select(t => (long)t.InfoOffset));
        Assert.Equal(ranges, tables.SelectMany(t => t.Ranges).Select(r => (r.Address, r.Address + r.Length)));
    }

    [GeneratedRegex(@"^\s*\d+ (\S+)\s+([0-9a-f]+) ", RegexOptions.Multiline)]
    private static partial Regex SectionLine();

    [GeneratedRegex(@"cu_offset = 0x([0-9a-f]+)")]
    private static partial Regex ArangeHeader();

    [GeneratedRegex(@"\[0x([0-9a-f]+), 0x([0-9a-f]+)\)")]
    private static partial Regex ArangeLine();
}
