using Dwarfsmith.Debugging.CoreDumps;
using Dwarfsmith.Dwarf.Reading;
using Dwarfsmith.TestSupport;
using Dwarfsmith.Tools;
using Dwarfsmith.Wasm;
using Xunit;

namespace Dwarfsmith.Debugging.Tests;

/// <summary>
/// The frames a dump shows for a pc (functions with inlined calls expanded, file, line, column)
/// against llvm-symbolizer-22's --inlining answer for the same DWARF address, at every line-table
/// row of the program's own unit.
/// </summary>
public class BacktraceSymbolizerTests
{
    [Theory]
    [InlineData("inline", OptLevel.O2, 4)]
    [InlineData("inline", OptLevel.O2, 5)]
    [InlineData("pointers", OptLevel.O2, 4)]
    [InlineData("recursion", OptLevel.O2, 4)]
    [InlineData("structs", OptLevel.O0, 4)]
    public void Frames_match_llvm_symbolizer(string name, OptLevel opt, int dwarfVersion)
    {
        var program = Corpus.Get(name);
        var path = program.BuildWasm(opt, dwarfVersion).Path;
        var module = WasmModule.ReadFile(path);
        var addresses = ProgramRowAddresses(module, Path.GetFileName(program.SourcePath));
        Assert.True(addresses.Count > 20, $"only {addresses.Count} rows");
        var dump = new SyntheticDump(module);
        foreach (var address in addresses)
            dump.AddFrame(address, withLocals: false);
        var frames = new CoreDumpSession(dump.Build(), module).Report().Frames;
        if (name == "inline")
            Assert.True(frames.Count(f => f.Inlined) > 10, "inline.c at -O2 has inlined calls at many rows");

        var symbolizer = ProcessRunner.Run(Toolchain.Require("llvm-symbolizer"), ["--obj=" + path, "--inlining", "--functions=short"],
            new ProcessOptions { StandardInput = string.Join("\n", addresses.Select(a => $"0x{a:x}")) + "\n" }).EnsureSuccess();
        var answers = symbolizer.StandardOutput.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(addresses.Count, answers.Length);
        for (int i = 0; i < addresses.Count; i++)
        {
            var expected = Symbolized(answers[i]);
            var actual = frames.Where(f => f.Pc == addresses[i])
                .Select(f => $"{f.Function} {Path.GetFileName(f.File)}:{f.Line}:{f.Column}{(f.Inlined ? " inlined" : "")}").ToList();
            Assert.True(expected.SequenceEqual(actual), $"0x{addresses[i]:x}:\nllvm-symbolizer:\n  {string.Join("\n  ", expected)}\ndwarfsmith:\n  {string.Join("\n  ", actual)}");
        }
    }

    /// <summary>llvm-symbolizer's frames for one address: function, then file:line:column; every frame but the last is inlined.</summary>
    private static List<string> Symbolized(string answer)
    {
        var lines = answer.Trim('\n').Split('\n');
        var frames = new List<string>();
        for (int i = 0; i + 1 < lines.Length; i += 2)
        {
            // wasm-ld names main __original_main (its DW_AT_linkage_name); gdb and the reader show DW_AT_name.
            var function = lines[i] == "__original_main" ? "main" : lines[i];
            var location = lines[i + 1].Split(':');
            var file = Path.GetFileName(location[0]);
            frames.Add($"{function} {file}:{location[1]}:{location[2]}{(i + 2 < lines.Length ? " inlined" : "")}");
        }

        return frames;
    }

    /// <summary>The distinct addresses of the rows of the unit compiled from <paramref name="sourceName"/>, end rows left out.</summary>
    private static List<ulong> ProgramRowAddresses(WasmModule module, string sourceName)
    {
        var context = new DwarfContext(DwarfContainers.FromWasm(module));
        var unit = context.Units.Single(u => u.Name is { } n && n.EndsWith(sourceName, StringComparison.Ordinal));
        return unit.ReadLineProgram()!.ReadRows().Where(r => !r.EndSequence && r.Address != 0).Select(r => r.Address).Distinct().Order().ToList();
    }
}
