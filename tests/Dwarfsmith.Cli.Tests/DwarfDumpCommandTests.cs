using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dwarfsmith.TestSupport;
using Xunit;

namespace Dwarfsmith.Cli.Tests;

/// <summary><c>dwarf dump</c> against llvm-dwarfdump on the same wasm and ELF files.</summary>
public partial class DwarfDumpCommandTests
{
    [GeneratedRegex(@"^0x[0-9a-f]+:\s+(DW_TAG_\w+)", RegexOptions.Multiline)]
    private static partial Regex LlvmEntry();

    [GeneratedRegex(@"^0x[0-9a-f]+:\s+(DW_TAG_\w+)$", RegexOptions.Multiline)]
    private static partial Regex OurEntry();

    [GeneratedRegex(@"^0x[0-9a-f]{16}\s+\d+", RegexOptions.Multiline)]
    private static partial Regex RowLine();

    [GeneratedRegex(@"DW_AT_name\s*(?:\[\w+\])?\s*\(?""([^""]*)""")]
    private static partial Regex NameValue();

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        data.Add(Corpus.Get("structs").BuildWasm(OptLevel.O0, 4).Path);
        data.Add(Corpus.Get("inline").BuildWasm(OptLevel.O2, 5).Path);
        data.Add(Corpus.Get("pointers").Build(CompileOptions.Host(OptLevel.O2, dwarfVersion: 5)).Path);
        data.Add(Corpus.Get("structs").Build(CompileOptions.Host(OptLevel.O0, dwarfVersion: 4, compiler: CompileTarget.HostGcc)).Path);
        return data;
    }

    public static TheoryData<string> MacroFiles()
    {
        var data = new TheoryData<string>();
        data.Add(Corpus.Get("arrays").Build(CompileOptions.Wasm(OptLevel.O0, 4) with { Flags = ["-fdebug-macro"] }).Path);
        data.Add(Corpus.Get("strings").Build(CompileOptions.Wasm(OptLevel.O2, 5) with { Flags = ["-fdebug-macro"] }).Path);
        data.Add(Corpus.Get("loops").Build(CompileOptions.Host(OptLevel.O0, dwarfVersion: 5) with { Flags = ["-fdebug-macro"] }).Path);
        // gcc -g3 shares macro units between compile units through DW_MACRO_import.
        data.Add(Corpus.Get("loops").Build(CompileOptions.Host(OptLevel.O0, dwarfVersion: 5, compiler: CompileTarget.HostGcc) with { Flags = ["-g3"] }).Path);
        return data;
    }

    [Theory]
    [MemberData(nameof(MacroFiles))]
    public void Macro_dump_has_the_entries_llvm_dwarfdump_shows(string path)
    {
        var run = CliRun.Of("dwarf", "dump", "--macro", "--json", path);
        Assert.True(run.ExitCode == 0, run.ToString());
        using var document = JsonDocument.Parse(run.Output);
        var ours = document.RootElement.GetProperty("macros").EnumerateArray()
            .Select(unit => unit.GetProperty("entries").EnumerateArray().Select(Entry).ToList())
            .ToList();
        var expected = MacroDump.EntriesByUnit(path);
        Assert.NotEmpty(expected);
        Assert.Equal(expected.Count, ours.Count);
        for (int i = 0; i < expected.Count; i++)
            Assert.Equal(expected[i], ours[i]);

        // Each import holds the entries llvm-dwarfdump lists for the unit at its offset.
        var units = MacroDump.UnitsByOffset(path);
        int imports = 0;
        foreach (var unit in document.RootElement.GetProperty("macros").EnumerateArray())
            imports += AssertImportsExpanded(unit.GetProperty("entries"), units);
        Assert.Equal(units.Values.Any(u => u.Any(e => e.Kind == "import")), imports > 0); // gcc -g3 imports, clang does not

        var text = CliRun.Of("dwarf", "dump", "--macro", path);
        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Matches(@"start_file line \d+ file \d+ ""[^""]*stdio\.h""", text.Output);
    }

    [Fact]
    public void Macro_dump_of_a_unit_whose_section_was_removed_says_so_and_exits_0()
    {
        var module = Wasm.WasmModule.ReadFile(MacroModule(5));
        var builder = new Wasm.Writing.ModuleBuilder(module);
        builder.RemoveCustom(".debug_macro");
        string path = Path.Combine(Path.GetTempPath(), $"dwarfsmith-macros-removed-{Environment.ProcessId}.wasm");
        File.WriteAllBytes(path, builder.ToArray());
        try
        {
            var run = CliRun.Of("dwarf", "dump", path);
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Contains("which the file does not have", run.Output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Macro_dump_expands_each_import_once_and_bounds_their_depth()
    {
        // 40 units, each importing the next twice: expanded every time, 2^40 copies of the last.
        const int levels = 40;
        var section = new List<byte>();
        var starts = new List<int>();
        for (int level = 0; level < levels; level++)
        {
            starts.Add(section.Count);
            section.AddRange(level == 0 ? [0x05, 0x00, 0x02, 0, 0, 0, 0] : [0x05, 0x00, 0x00]);
            section.AddRange([0x01, 0x01, (byte)'A', 0x00]); // DW_MACRO_define, line 1, "A"
            if (level + 1 < levels)
                section.AddRange([0x07, 0, 0, 0, 0, 0x07, 0, 0, 0, 0]); // two DW_MACRO_import, offsets set below

            section.Add(0);
        }

        for (int level = 0; level + 1 < levels; level++)
        {
            // Point both imports of each unit at the next unit's start.
            int import = starts[level] + (level == 0 ? 7 : 3) + 4;
            foreach (int at in new[] { import + 1, import + 6 })
                BitConverter.GetBytes(starts[level + 1]).CopyTo(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(section)[at..]);
        }

        var module = Wasm.WasmModule.ReadFile(MacroModule(5));
        var builder = new Wasm.Writing.ModuleBuilder(module);
        builder.SetCustom(".debug_macro", section.ToArray());
        string path = Path.Combine(Path.GetTempPath(), $"dwarfsmith-macro-imports-{Environment.ProcessId}.wasm");
        File.WriteAllBytes(path, builder.ToArray());
        try
        {
            var run = CliRun.Of("dwarf", "dump", "--macro", path);
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Contains("(expanded above)", run.Output, StringComparison.Ordinal);
            Assert.Contains("imports nested deeper than 32: not followed", run.Output, StringComparison.Ordinal);
            Assert.True(run.Output.Length < 100_000, $"{run.Output.Length} characters of output");
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string MacroModule(int version) =>
        Corpus.Get("arrays").Build(CompileOptions.Wasm(OptLevel.O0, version) with { Flags = ["-fdebug-macro"] }).Path;

    private static int AssertImportsExpanded(JsonElement entries, IReadOnlyDictionary<ulong, List<(string Kind, string Line, string Operand)>> units)
    {
        int imports = 0;
        foreach (var entry in entries.EnumerateArray().Where(e => e.GetProperty("kind").GetString() == "import"))
        {
            if (!entry.TryGetProperty("imported", out var expansion))
            {
                // A unit imported again in the same compile unit is shown once.
                Assert.Equal("expanded above", entry.GetProperty("notExpanded").GetString());
                continue;
            }

            var imported = expansion.GetProperty("entries");
            Assert.Equal(units[entry.GetProperty("offset").GetUInt64()], imported.EnumerateArray().Select(Entry).ToList());
            imports += 1 + AssertImportsExpanded(imported, units);
        }

        return imports;
    }

    /// <summary>A JSON macro entry as (kind, line, operand), the form <see cref="MacroDump.EntriesByUnit"/> gives llvm-dwarfdump's.</summary>
    private static (string Kind, string Line, string Operand) Entry(JsonElement entry)
    {
        string kind = entry.GetProperty("kind").GetString()!;
        string line = entry.TryGetProperty("line", out var l) ? l.GetUInt64().ToString(CultureInfo.InvariantCulture) : "";
        string operand = kind switch
        {
            "start_file" => entry.GetProperty("file").GetUInt64().ToString(CultureInfo.InvariantCulture),
            "import" => $"0x{entry.GetProperty("offset").GetUInt64():x8}",
            _ => entry.TryGetProperty("text", out var t) ? t.GetString()! : "",
        };
        return (kind, line, operand);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Text_dump_has_the_entries_names_and_rows_llvm_dwarfdump_shows(string path)
    {
        var run = CliRun.Of("dwarf", "dump", path);
        Assert.True(run.ExitCode == 0, run.ToString());
        string info = Llvm("--debug-info", path), line = Llvm("--debug-line", path);
        Assert.Equal(LlvmEntry().Matches(info).Select(m => m.Groups[1].Value), OurEntry().Matches(run.Output).Select(m => m.Groups[1].Value));
        Assert.Equal(NameValue().Matches(info).Select(m => m.Groups[1].Value), NameValue().Matches(run.Output).Select(m => m.Groups[1].Value));
        // llvm-dwarfdump leaves out sequences of dead code (starting at a tombstone); the dump shows them.
        var rows = Regex.Matches(run.Output, @"^  0x([0-9a-f]{16})\s+\d+", RegexOptions.Multiline).Count(m => IsLive(Convert.ToUInt64(m.Groups[1].Value, 16)));
        Assert.Equal(RowLine().Count(line), rows);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Json_dump_has_the_same_entries_and_rows(string path)
    {
        var run = CliRun.Of("dwarf", "dump", "--info", "--line", "--json", path);
        Assert.True(run.ExitCode == 0, run.ToString());
        using var document = JsonDocument.Parse(run.Output);
        var entries = document.RootElement.GetProperty("units").EnumerateArray().SelectMany(u => u.GetProperty("entries").EnumerateArray()).ToList();
        Assert.Equal(LlvmEntry().Count(Llvm("--debug-info", path)), entries.Count);
        int rows = document.RootElement.GetProperty("lineTables").EnumerateArray()
            .Sum(t => t.GetProperty("rows").EnumerateArray().Count(r => IsLive(r.GetProperty("address").GetUInt64())));
        Assert.Equal(RowLine().Count(Llvm("--debug-line", path)), rows);
    }

    [Fact]
    public void Location_lists_resolve_to_the_ranges_llvm_dwarfdump_shows()
    {
        var path = Corpus.Get("inline").BuildWasm(OptLevel.O2, 5).Path;
        var run = CliRun.Of("dwarf", "dump", "--loc", path);
        Assert.True(run.ExitCode == 0, run.ToString());
        var expected = Regex.Matches(Llvm("--debug-info", path), @"^\s+\[(0x[0-9a-f]+), (0x[0-9a-f]+)\): DW_OP", RegexOptions.Multiline)
            .Select(m => (Convert.ToUInt64(m.Groups[1].Value, 16), Convert.ToUInt64(m.Groups[2].Value, 16)))
            .Where(r => IsLive(r.Item1)) // entries of dead code, which llvm-dwarfdump resolves past the 32-bit address space
            .ToList();
        var actual = Regex.Matches(run.Output, @"^\s+\[(0x[0-9a-f]+), (0x[0-9a-f]+)\): DW_OP.*$", RegexOptions.Multiline)
            .Where(m => !m.Value.EndsWith("(dead code)", StringComparison.Ordinal))
            .Select(m => (Convert.ToUInt64(m.Groups[1].Value, 16), Convert.ToUInt64(m.Groups[2].Value, 16))).ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void A_split_module_is_dumped_through_its_external_debug_info()
    {
        var input = Corpus.Get("structs").BuildWasm(OptLevel.O2, 5).Path;
        var directory = RepoPaths.NewScratchDirectory("dwarf-dump-split");
        string main = Path.Combine(directory, "structs.wasm"), debug = Path.Combine(directory, "structs.debug.wasm");
        var split = CliRun.Of("split", input, "-o", main, "--debug-file", debug);
        Assert.True(split.ExitCode == 0, split.ToString());
        var run = CliRun.Of("dwarf", "dump", "--info", main);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains($"debug information from {debug}", run.Error, StringComparison.Ordinal);
        Assert.Contains("build ids match", run.Error, StringComparison.Ordinal);
        Assert.Equal(LlvmEntry().Matches(Llvm("--debug-info", input)).Select(m => m.Groups[1].Value), OurEntry().Matches(run.Output).Select(m => m.Groups[1].Value));
    }

    [Fact]
    public void A_file_that_is_neither_wasm_nor_elf_exits_65()
    {
        var path = Path.Combine(RepoPaths.NewScratchDirectory("dwarf-dump"), "text.txt");
        File.WriteAllText(path, "not a binary");
        var run = CliRun.Of("dwarf", "dump", path);
        Assert.Equal(65, run.ExitCode);
        Assert.Contains("at 0x0", run.Error, StringComparison.Ordinal);
        Assert.Equal(66, CliRun.Of("dwarf", "dump", path + ".missing").ExitCode);
    }

    /// <summary>Not a wasm dead-code address (wasm-ld's tombstones are 0xffffffff and 0xfffffffe; offsets from them run past 32 bits).</summary>
    private static bool IsLive(ulong address) => address < 0xfffffffe;

    private static string Llvm(string option, string path) =>
        ProcessRunner.Run(Toolchain.LlvmDwarfdump, [option, path]).EnsureSuccess().StandardOutput;
}
