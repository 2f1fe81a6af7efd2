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
public class CorpusGlobalsGdbTests
{
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
        var expected = NativeGdb.Print(native, own.Select(g => $"'{Path.GetFileName(program.SourcePath)}'::{g.Name}"));
        Assert.Equal(own.Count, expected.Count);
        for (int i = 0; i < own.Count; i++)
        {
            var shown = own[i].Value ?? $"<unavailable: {own[i].Unavailable}>";
            Assert.Equal($"{own[i].Name} = {NativeGdb.Normalize(expected[i])}", $"{own[i].Name} = {NativeGdb.Normalize(shown)}");
        }
    }

    private static (long Start, long End) UnitOf(WasmModule module, string sourceName)
    {
        var unit = new DwarfContext(DwarfContainers.FromWasm(module)).Units.Single(u => u.Name is { } n && n.EndsWith(sourceName, StringComparison.Ordinal));
        return (unit.Offset, unit.EndOffset);
    }
}
