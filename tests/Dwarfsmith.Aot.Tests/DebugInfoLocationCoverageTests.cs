using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dwarfsmith.TestSupport;
using Dwarfsmith.Tools.PostLink;
using Dwarfsmith.Wasm;
using Xunit;
using Xunit.Abstractions;

namespace Dwarfsmith.Aot.Tests;

/// <summary>
/// Where <c>aot -g</c> keeps the module's variable locations, as llvm-dwarfdump-22 reads module and
/// executable (its --debug-info dump; the executable's first units are the module's, entry for
/// entry). At -O0 every variable and parameter with a location in a function of live code keeps
/// one; at -O2 the figures are reported, and the test's output gives llvm-dwarfdump --statistics
/// of the module beside the executable's own translated units (the executable's figures less those
/// of the same build from the module without DWARF, whose only units are the runtime's).
/// </summary>
public sealed partial class DebugInfoLocationCoverageTests(ITestOutputHelper output)
{
    public static TheoryData<string, int> Programs => GdbDifferential.ProgramsOnceEach();

    [Theory]
    [MemberData(nameof(Programs))]
    public void At_O0_every_variable_with_a_location_in_live_code_keeps_one(string name, int dwarfVersion)
    {
        var (module, executable) = Build(name, dwarfVersion, 0);
        var lost = Lost(module, executable, out int located);
        Assert.True(located > 0);
        Assert.True(lost.Count == 0, $"{lost.Count} of {located} variables lost their location:\n{string.Join('\n', lost.Take(20))}");
    }

    [Theory]
    [InlineData("pointers", 5)]
    [InlineData("structs", 5)]
    [InlineData("recursion", 4)]
    public void Location_coverage_at_O0_and_O2_beside_the_module(string name, int dwarfVersion)
    {
        string[] keys =
        [
            "#source variables", "#source variables with location", "#params", "#params with binary location",
            "sum_all_variables(#bytes in parent scope)", "sum_all_variables(#bytes in parent scope covered by DW_AT_location)",
            "sum_all_params(#bytes in parent scope)", "sum_all_params(#bytes in parent scope covered by DW_AT_location)",
        ];
        foreach (int level in new[] { 0, 2 })
        {
            var (module, executable) = Build(name, dwarfVersion, level);
            var stripped = Path.Combine(RepoPaths.NewScratchDirectory("coverage"), "stripped.wasm");
            File.WriteAllBytes(stripped, DebugInfoStripper.Strip(WasmModule.ReadFile(module), new StripOptions(KeepNameSection: true)));
            var runtimeOnly = AotCompiler.CompileCached(WasmModule.ReadFile(stripped), "stripped.wasm",
                new AotOptions { OptimizationLevel = level, DebugInfo = true }, RepoPaths.CacheDirectory("aot"));
            var (inModule, inExecutable, ofRuntime) = (Statistics(module), Statistics(executable), Statistics(runtimeOnly));
            var lost = Lost(module, executable, out int located);
            output.WriteLine($"{name} DWARF {dwarfVersion}, C at -O{level}: {located - lost.Count} of {located} located variables of live code keep a location");
            foreach (var key in keys)
                output.WriteLine($"  {key}: module {inModule.GetValueOrDefault(key)}, executable {inExecutable.GetValueOrDefault(key) - ofRuntime.GetValueOrDefault(key)}");
            Assert.Equal(inModule["#source variables"], inExecutable["#source variables"] - ofRuntime["#source variables"]);
        }
    }

    private static (string Module, string Executable) Build(string name, int dwarfVersion, int level)
    {
        var module = Corpus.Get(name).Build(CompileOptions.Wasm(OptLevel.O0, dwarfVersion) with { Flags = ["-ftrivial-auto-var-init=zero"] }).Path;
        var executable = AotCompiler.CompileCached(WasmModule.ReadFile(module), Path.GetFileName(module),
            new AotOptions { OptimizationLevel = level, DebugInfo = true }, RepoPaths.CacheDirectory("aot"));
        return (module, executable);
    }

    private static Dictionary<string, long> Statistics(string path)
    {
        var result = ProcessRunner.Run(Toolchain.LlvmDwarfdump, ["--statistics", path], new ProcessOptions { Timeout = TimeSpan.FromMinutes(5) });
        Assert.True(result.Succeeded, result.Describe());
        using var json = JsonDocument.Parse(result.StandardOutput);
        return json.RootElement.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Number)
            .ToDictionary(p => p.Name, p => p.Value.GetInt64(), StringComparer.Ordinal);
    }

    /// <summary>
    /// The variables and parameters of live functions (not at a tombstone) that have a location in
    /// the module and none in the executable; <paramref name="located"/> counts those with one in the module.
    /// </summary>
    private static List<string> Lost(string module, string executable, out int located)
    {
        var before = Entries(module);
        var after = Entries(executable);
        var lost = new List<string>();
        located = 0;
        bool live = false;
        string function = "";
        for (int i = 0; i < before.Count; i++)
        {
            Assert.True(i < after.Count && before[i].Tag == after[i].Tag, $"entry {i}: {before[i].Tag} in the module, {(i < after.Count ? after[i].Tag : "none")} in the executable");
            var entry = before[i];
            if (entry.Tag == "DW_TAG_subprogram" && entry.Depth == 1)
            {
                function = entry.Attributes.GetValueOrDefault("DW_AT_name", "?");
                live = entry.Attributes.TryGetValue("DW_AT_low_pc", out var low) && !low.Contains("dead code", StringComparison.Ordinal);
            }
            else if (entry.Depth <= 1)
            {
                live = false;
            }

            if (!live || entry.Tag is not ("DW_TAG_variable" or "DW_TAG_formal_parameter") || !entry.Attributes.ContainsKey("DW_AT_location"))
                continue;
            located++;
            if (!after[i].Attributes.ContainsKey("DW_AT_location"))
                lost.Add($"{function}: {entry.Attributes.GetValueOrDefault("DW_AT_name", "?")} ({entry.Attributes["DW_AT_location"]})");
        }

        return lost;
    }

    private sealed record Entry(string Tag, int Depth, Dictionary<string, string> Attributes);

    /// <summary>The entries of llvm-dwarfdump's --debug-info dump, with their depth below the unit.</summary>
    private static List<Entry> Entries(string path)
    {
        var result = ProcessRunner.Run(Toolchain.LlvmDwarfdump, ["--debug-info", path], new ProcessOptions { Timeout = TimeSpan.FromMinutes(5) });
        Assert.True(result.Succeeded, result.Describe());
        var entries = new List<Entry>();
        foreach (var line in result.StandardOutput.Split('\n'))
        {
            var entry = EntryLine().Match(line);
            if (entry.Success)
            {
                // The unit is indented by one space, each level below by two more.
                entries.Add(new Entry(entry.Groups[2].Value, (entry.Groups[1].Length - 1) / 2, new Dictionary<string, string>(StringComparer.Ordinal)));
                continue;
            }

            var attribute = AttributeLine().Match(line);
            if (attribute.Success && entries.Count > 0)
                entries[^1].Attributes[attribute.Groups[1].Value] = attribute.Groups[2].Value;
        }

        return entries;
    }

    [GeneratedRegex(@"^0x[0-9a-f]+:(\s+)(DW_TAG_\w+)")]
    private static partial Regex EntryLine();

    [GeneratedRegex(@"^\s+(DW_AT_\w+)\s+\((.*)\)?$")]
    private static partial Regex AttributeLine();
}
