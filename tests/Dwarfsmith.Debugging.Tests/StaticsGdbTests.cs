using Dwarfsmith.Debugging.CoreDumps;
using Dwarfsmith.TestSupport;
using Dwarfsmith.Wasm;
using Xunit;

namespace Dwarfsmith.Debugging.Tests;

/// <summary>
/// Globals, file statics and function statics of corpus/statics.c in a dump whose memory is the
/// module's initial data, against gdb printing the same expressions from the native build's
/// initial data (addresses differ between the builds, so hex addresses are compared as such).
/// wasm-ld removes <c>global_greeting</c> (clang folds the constant pointer), which the reader says.
/// </summary>
public class StaticsGdbTests
{
    private static readonly string[] Expressions =
    [
        "global_counter", "file_static_total", "crc_nibbles", "table", "*table[2].name", "-global_counter",
        "table[1]", "table[3].weight", "crc_nibbles[2]", "table[0].name[1]", "*table[3].name", "&table[1].weight", "&crc_nibbles",
    ];

    [Fact]
    public void Printed_statics_match_gdb_on_the_native_build()
    {
        var program = Corpus.Get("statics");
        var native = program.Build(CompileOptions.Host(OptLevel.O0)).Path;
        var expected = NativeGdb.Print(native, Expressions).Select(NativeGdb.Normalize).ToList();
        Assert.Equal(Expressions.Length, expected.Count);

        var module = WasmModule.ReadFile(program.BuildWasm(OptLevel.O0).Path);
        var dump = new SyntheticDump(module);
        var (low, high) = SyntheticDump.FunctionRange(module, "next_id");
        dump.AddFrame(SyntheticDump.AddressOfLine(module, program.BreakLine("next_id"), low, high), withLocals: false);
        var session = new CoreDumpSession(dump.Build(), module);
        for (int i = 0; i < Expressions.Length; i++)
            Assert.Equal($"{Expressions[i]}: {expected[i]}", $"{Expressions[i]}: {NativeGdb.Normalize(session.Print(Expressions[i]))}");
    }

    [Fact]
    public void Function_and_file_statics_are_listed_with_their_kind()
    {
        var program = Corpus.Get("statics");
        var module = WasmModule.ReadFile(program.BuildWasm(OptLevel.O0).Path);
        var dump = new SyntheticDump(module);
        var (low, high) = SyntheticDump.FunctionRange(module, "next_id");
        dump.AddFrame(SyntheticDump.AddressOfLine(module, program.BreakLine("next_id"), low, high), withLocals: false);
        var report = new CoreDumpSession(dump.Build(), module).Report();
        var frame = report.Frames[0];
        Assert.Equal("next_id", frame.Function);
        Assert.Equal(new SourceVariable("id", VariableKind.Static, "int32_t", "100", null), Assert.Single(frame.Variables) with { EntryOffset = 0 });
        Assert.Contains(report.Globals, g => g is { Name: "global_counter", Kind: VariableKind.Global, Type: "int32_t", Value: "10" });
        Assert.Contains(report.Globals, g => g is { Name: "file_static_total", Kind: VariableKind.Static, Value: "0" });
        Assert.DoesNotContain(report.Globals, g => g.Name == "global_greeting");
        var removed = new CoreDumpSession(dump.Build(), module).Evaluate("global_greeting");
        Assert.Equal("const char * const", Types.TypeNames.Of(removed.Type));
        Assert.Equal("not in the program: the linker removed it (its address is a tombstone)", removed.Unavailable);
    }
}
