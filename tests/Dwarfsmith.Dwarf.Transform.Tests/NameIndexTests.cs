using System.Text.RegularExpressions;
using Dwarfsmith.Dwarf.Reading;
using Dwarfsmith.TestSupport;
using Dwarfsmith.Tools;
using Dwarfsmith.Tools.PostLink;
using Dwarfsmith.Wasm;
using Xunit;

namespace Dwarfsmith.Dwarf.Transform.Tests;

/// <summary>
/// The DWARF 5 name index (.debug_names, clang -gpubnames) names the same entries after a rewrite:
/// checked with llvm-dwarfdump's own .debug_names verifier and by resolving every indexed entry's
/// DIE offset in both files.
/// </summary>
public partial class NameIndexTests
{
    [GeneratedRegex(@"^0x([0-9a-f]{8}):\s+(DW_TAG_\w+)", RegexOptions.Multiline)]
    private static partial Regex EntryLine();

    [Theory]
    [InlineData("structs", OptLevel.O0)]
    [InlineData("inline", OptLevel.O2)]
    [InlineData("statics", OptLevel.O2)]
    public void The_name_index_names_the_same_entries_after_a_rewrite_and_a_compaction(string program, OptLevel opt)
    {
        var input = BuildWithNameIndex(program, opt);
        var rewritten = Rewriting.Rewrite(input, DwarfVisitor.Identity, $"names-{program}-{opt}");
        string compacted = Path.ChangeExtension(rewritten, ".compact.wasm");
        File.WriteAllBytes(compacted, ModuleCompactor.Compact(WasmModule.ReadFile(input)));

        var expected = IndexedEntries(input);
        foreach (string output in new[] { rewritten, compacted })
        {
            Assert.Contains(".debug_names", WasmModule.ReadFile(output).DebugSections.Select(s => s.Name));
            Rewriting.AssertNoNewVerifyErrors(input, output);
            Assert.Equal(expected, IndexedEntries(output));
        }
    }

    [Fact]
    public void A_name_index_that_names_a_dropped_entry_is_left_out_with_a_warning()
    {
        var input = BuildWithNameIndex("structs", OptLevel.O0);
        var module = WasmModule.ReadFile(input);
        var result = WasmDwarfRewriter.Rewrite(module, new DropStructuresVisitor());
        Assert.Contains(DwarfSections.Names, result.Dwarf.RemovedSections);
        Assert.Contains(result.Dwarf.Warnings, w => w.StartsWith(".debug_names left out: the entry at", StringComparison.Ordinal));
        Assert.DoesNotContain(".debug_names", WasmModule.Read(result.Module).DebugSections.Select(s => s.Name));
    }

    /// <summary>Damaged name indices: a rewrite either carries the section over or fails with the section and offset; nothing else, no hang.</summary>
    [Fact]
    public void A_damaged_name_index_gives_only_format_errors()
    {
        var input = WasmModule.ReadFile(BuildWithNameIndex("inline", OptLevel.O2));
        var names = input.DebugSections.Single(s => s.Name == DwarfSections.Names).Content;
        int carried = 0, refused = 0;
        for (int seed = 0; seed < 300; seed++)
        {
            var (damaged, _, description) = ByteMutator.Mutate(names.Span, seed);
            var builder = new Wasm.Writing.ModuleBuilder(input);
            var sections = input.DebugSections.ToDictionary(s => s.Name!, s => s.Content);
            sections[DwarfSections.Names] = damaged;
            WasmDwarfRewriter.ReplaceDebugSections(builder, sections);
            var module = WasmModule.Read(builder.ToArray());
            try
            {
                var result = WasmDwarfRewriter.Rewrite(module, DwarfVisitor.Identity);
                carried += result.Dwarf.RemovedSections.Contains(DwarfSections.Names) ? 0 : 1;
            }
            catch (DwarfFormatException e)
            {
                Assert.True(e.Section is DwarfSections.Names or DwarfSections.Str, $"seed {seed} ({description}): {e.Message}");
                refused++;
            }
        }

        Assert.True(carried > 0 && refused > 0, $"carried {carried}, refused {refused}");
    }

    /// <summary>
    /// An entry of a foreign type unit (split DWARF: the type unit is in a .dwo) names a DIE that
    /// nothing here moves: the index is carried over with that offset unchanged.
    /// </summary>
    [Fact]
    public void An_entry_of_a_foreign_type_unit_is_kept_as_it_is()
    {
        var original = WasmModule.ReadFile(BuildWithNameIndex("structs", OptLevel.O0));
        // Clang's index, then one of ours after it (a section may hold several).
        var names = original.DebugSections.Single(s => s.Name == DwarfSections.Names).Content.ToArray();
        var builder = new Wasm.Writing.ModuleBuilder(original);
        var sections = original.DebugSections.ToDictionary(s => s.Name!, s => s.Content);
        uint augmentation = BitConverter.ToUInt32(names, 32);
        uint compileUnit = BitConverter.ToUInt32(names, 36 + (int)augmentation); // the first unit clang's index names
        sections[DwarfSections.Names] = names.Concat(ForeignTypeUnitIndex(compileUnit)).ToArray();
        WasmDwarfRewriter.ReplaceDebugSections(builder, sections);
        string input = Rewriting.ScratchPath("names-foreign-input.wasm");
        File.WriteAllBytes(input, builder.ToArray());
        Assert.Contains("DW_IDX_type_unit", Rewriting.Dump(input, "--debug-names"), StringComparison.Ordinal);

        var result = WasmDwarfRewriter.Rewrite(WasmModule.ReadFile(input), DwarfVisitor.Identity);
        Assert.True(!result.Dwarf.RemovedSections.Contains(DwarfSections.Names), string.Join("; ", result.Dwarf.Warnings));
        string output = Path.ChangeExtension(input, ".rewritten.wasm");
        File.WriteAllBytes(output, result.Module);
        // Clang's index names the same entries; the foreign entry (the last) keeps its DIE offset.
        Assert.Equal(IndexedEntries(input).SkipLast(1), IndexedEntries(output).SkipLast(1));
        string dump = Rewriting.Dump(output, "--debug-names");
        Assert.Contains("ForeignTU[0]: 0x0123456789abcdef", dump, StringComparison.Ordinal);
        Assert.Matches(@"DW_IDX_type_unit: 0x00\s+DW_IDX_die_offset: 0x00001234", dump);
    }

    /// <summary>
    /// A second name index for <paramref name="compileUnit"/> with one foreign type unit and no hash
    /// table: one name (the string at .debug_str offset 0) whose entry names DIE 0x1234 of that type unit.
    /// </summary>
    private static byte[] ForeignTypeUnitIndex(uint compileUnit)
    {
        byte[] abbreviations = [1, 0x13, 2, 0x0B, 3, 0x13, 0, 0, 0]; // code 1: structure_type, type_unit/data1, die_offset/ref4
        byte[] pool = [1, 0, 0x34, 0x12, 0, 0, 0];                     // type unit 0 (foreign), DIE 0x1234, end of list
        var body = new List<byte>();
        void U16(int v) => body.AddRange(BitConverter.GetBytes((ushort)v));
        void U32(long v) => body.AddRange(BitConverter.GetBytes((uint)v));
        U16(5);
        U16(0);
        U32(1); // compile units
        U32(0); // local type units
        U32(1); // foreign type units
        U32(0); // buckets
        U32(1); // names
        U32(abbreviations.Length);
        U32(0); // augmentation
        U32(compileUnit);
        body.AddRange(BitConverter.GetBytes(0x0123456789ABCDEFUL)); // the foreign type unit's signature
        U32(0); // the name's string offset
        U32(0); // its entries' offset in the pool
        body.AddRange(abbreviations);
        body.AddRange(pool);
        return [.. BitConverter.GetBytes((uint)body.Count), .. body];
    }

    private static string BuildWithNameIndex(string program, OptLevel opt)
    {
        var options = CompileOptions.Wasm(opt, 5) with { Flags = ["-gpubnames"], OutputName = $"{program}.names.{opt}.wasm" };
        var path = Corpus.Get(program).Build(options).Path;
        Assert.Contains(".debug_names contents:", Rewriting.Dump(path, "--debug-names"), StringComparison.Ordinal);
        return path;
    }

    /// <summary>
    /// Every entry of every name index as "name: index tag -> DIE tag #ordinal", in index order:
    /// the DIE found at the unit offset of the index plus the entry's DW_IDX_die_offset.
    /// </summary>
    private static List<string> IndexedEntries(string path)
    {
        string info = Rewriting.Dump(path, "--debug-info");
        var dies = EntryLine().Matches(info).Select((m, i) => (Offset: Convert.ToInt64(m.Groups[1].Value, 16), Tag: m.Groups[2].Value, Ordinal: i))
            .ToDictionary(e => e.Offset);
        var entries = new List<string>();
        var units = new List<long>();
        string name = "", tag = "";
        int unit = 0;
        foreach (string raw in Rewriting.Dump(path, "--debug-names").Split('\n'))
        {
            string line = raw.Trim();
            Match m;
            if (line.StartsWith("Name Index @", StringComparison.Ordinal))
                units.Clear();
            else if ((m = Regex.Match(line, @"^CU\[(\d+)\]: 0x([0-9a-f]+)")).Success)
                units.Add(Convert.ToInt64(m.Groups[2].Value, 16));
            else if ((m = Regex.Match(line, @"^String: 0x[0-9a-f]+ ""([^""]*)""")).Success)
                name = m.Groups[1].Value;
            else if (line.StartsWith("Entry @", StringComparison.Ordinal))
                unit = 0;
            else if ((m = Regex.Match(line, @"^Tag: (DW_TAG_\w+)")).Success)
                tag = m.Groups[1].Value;
            else if ((m = Regex.Match(line, @"^DW_IDX_compile_unit: 0x([0-9a-f]+)")).Success)
                unit = Convert.ToInt32(m.Groups[1].Value, 16);
            else if ((m = Regex.Match(line, @"^DW_IDX_die_offset: 0x([0-9a-f]+)")).Success)
            {
                long target = units[unit] + Convert.ToInt64(m.Groups[1].Value, 16);
                entries.Add(dies.TryGetValue(target, out var die) ? $"{name}: {tag} -> {die.Tag} #{die.Ordinal}" : $"{name}: {tag} -> no DIE at 0x{target:x}");
            }
        }

        Assert.NotEmpty(entries);
        return entries;
    }

    /// <summary>Leaves out every structure type (and so entries the name index names).</summary>
    private sealed class DropStructuresVisitor : DwarfVisitor
    {
        public override EntryAction VisitEntry(EntryCursor input, Writing.EntryBuilder parent) =>
            input.Tag == DwTag.DW_TAG_structure_type ? EntryAction.Drop : EntryAction.Keep;
    }
}
