using System.Text.RegularExpressions;
using Dwarfsmith.Debugging.CoreDumps;
using Dwarfsmith.Dwarf.Reading;
using Dwarfsmith.TestSupport;
using Dwarfsmith.Tools;
using Dwarfsmith.Wasm;
using Xunit;

namespace Dwarfsmith.Debugging.Tests;

/// <summary>
/// Every global and file static of each corpus program, in a dump whose memory is the module's
/// initial data, printed as gdb prints the same variable from the native build's initial data:
/// integers, floats, enums, structs, arrays and strings must read the same (hex addresses differ
/// between the builds and are compared as such).
/// </summary>
public partial class CorpusGlobalsGdbTests
{
    [GeneratedRegex(@"0x[0-9a-f]+(?: <[^>]*>)?")]
    private static partial Regex Address();

    [Theory]
    [MemberData(nameof(Corpus.ProgramNames), MemberType = typeof(Corpus))]
    public void Globals_print_as_gdb_prints_them_natively(string name)
    {
        var program = Corpus.Get(name);
        var module = WasmModule.ReadFile(program.BuildWasm(OptLevel.O0).Path);
        var dump = new SyntheticDump(module);
        var globals = new CoreDumpSession(dump.Build(), module).Globals();
        var (start, end) = UnitOf(module, Path.GetFileName(program.SourcePath));
        var own = globals.Where(g => g.EntryOffset >= start && g.EntryOffset < end).ToList();
        if (own.Count == 0)
            return; // the program has no globals of its own

        var native = program.Build(CompileOptions.Host(OptLevel.O0)).Path;
        var arguments = new List<string> { "-batch", "-nx" };
        foreach (var global in own)
            arguments.AddRange(["-ex", $"print '{Path.GetFileName(program.SourcePath)}'::{global.Name}"]);
        arguments.Add(native);
        var gdb = ProcessRunner.Run(Toolchain.Gdb, arguments).EnsureSuccess();
        var expected = gdb.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => Regex.Replace(l, @"^\$\d+ = ", "")).ToList();
        Assert.Equal(own.Count, expected.Count);
        for (int i = 0; i < own.Count; i++)
        {
            var shown = own[i].Value ?? $"<unavailable: {own[i].Unavailable}>";
            Assert.Equal($"{own[i].Name} = {Normalize(expected[i])}", $"{own[i].Name} = {Normalize(shown)}");
        }
    }

    private static string Normalize(string text) => Address().Replace(text, "0xADDR");

    private static (long Start, long End) UnitOf(WasmModule module, string sourceName)
    {
        var unit = new DwarfContext(DwarfContainers.FromWasm(module)).Units.Single(u => u.Name is { } n && n.EndsWith(sourceName, StringComparison.Ordinal));
        return (unit.Offset, unit.EndOffset);
    }
}
