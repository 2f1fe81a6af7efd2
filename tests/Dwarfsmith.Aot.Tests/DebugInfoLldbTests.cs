using Dwarfsmith.TestSupport;
using Dwarfsmith.Wasm;
using Xunit;

namespace Dwarfsmith.Aot.Tests;

/// <summary>
/// <c>aot -g</c> against the native build of the same C program (clang-22 -g), both under lldb-22:
/// at every <c>/* BREAK: */</c> label, the same backtrace (functions, files and lines, ending at main),
/// the same arguments, locals and statics with equal values (pointers by null-ness, and what they
/// point to), the same globals of the program's file, and the same output of <c>p NAME</c>,
/// <c>p *NAME</c> and <c>p NAME-&gt;MEMBER</c> for the frame's pointers (addresses blanked). The AOT
/// side runs with Dwarfsmith's lldb extension loaded, as <c>dwarfsmith lldb</c> runs it: lldb-22 reads
/// every pointer as 8 bytes, so the program's 4-byte pointers need it (docs/ARCHITECTURE.md, "lldb").
/// The platforms' differences are set aside by <see cref="DebugInfoGdbTests"/>'s rules, and for the
/// <c>p</c> outputs by three more, stated where they are applied: the C library's types (FILE) are not
/// printed (lldb_stops.py), a function the C library called is not (what qsort passes its comparator
/// depends on the library), and members reached through a pointer to const are compared unqualified
/// (<see cref="StopComparison"/>). Two are lldb's (<see cref="LldbComparable"/>): it names a base type
/// by its size in its x86-64 type system, so wasm32's 4-byte <c>long</c> shows as <c>int</c>; and the
/// program's path (argv[0]) is each build's own.
/// </summary>
public sealed partial class DebugInfoLldbTests
{
    public static TheoryData<string, int> Programs => GdbDifferential.ProgramsOnceEach();

    [SkippableTheory]
    [MemberData(nameof(Programs))]
    public void At_every_break_label_lldb_shows_what_it_shows_natively(string name, int dwarfVersion)
    {
        HostCapabilities.Ptrace.SkipUnlessAvailable();
        var program = Corpus.Get(name);
        // Both sides start their locals at zero: a local read before its first assignment (natively
        // stack garbage, in wasm what linear memory held) says nothing of the debug information.
        string[] zeroLocals = ["-ftrivial-auto-var-init=zero"];
        var wasm = program.Build(CompileOptions.Wasm(OptLevel.O0, dwarfVersion) with { Flags = zeroLocals }).Path;
        var executable = AotCompiler.CompileCached(WasmModule.ReadFile(wasm), Path.GetFileName(wasm),
            new AotOptions { OptimizationLevel = 0, DebugInfo = true }, RepoPaths.CacheDirectory("aot"));
        var native = program.Build(CompileOptions.Host(OptLevel.O0, dwarfVersion) with { Flags = zeroLocals }).Path;
        var source = Path.GetFileName(program.SourcePath);
        var lines = program.Breakpoints.Values.Order().Select(line => $"{source}:{line}").ToList();

        var directory = program.NeedsWorkingDirectory ? RepoPaths.NewScratchDirectory(name) : null;
        try
        {
            var expected = LldbStops.Run([native, .. program.Args], lines, source, withExtension: false, program.Environment, directory);
            List<string> runtimeOptions = directory is null ? [] : ["--dir", $"{directory}::."];
            foreach (var (variable, value) in program.Environment)
                runtimeOptions.AddRange(["--env", $"{variable}={value}"]);
            var actual = LldbStops.Run([executable, .. runtimeOptions, "--", .. program.Args], lines, source, withExtension: true, null, directory);

            Assert.NotEmpty(expected);
            var removed = StopComparison.VariablesTheLinkerRemoved(wasm);
            for (int i = 0; i < Math.Max(expected.Count, actual.Count); i++)
            {
                Assert.True(i < actual.Count, $"stop {i}: lldb stopped natively at\n{expected[i]}\nbut not in the AOT build");
                Assert.True(i < expected.Count, $"stop {i}: lldb stopped in the AOT build at\n{actual[i]}\nbut not natively");
                var (nativeStop, aotStop) = StopComparison.Comparable(
                    LldbComparable(expected[i], native), LldbComparable(actual[i], executable), removed, source);
                string nativeText = StopComparison.Normalized(nativeStop), aotText = StopComparison.Normalized(aotStop);
                Assert.True(nativeText == aotText, $"stop {i}:\nnative: {nativeText}\naot -g: {aotText}");
            }
        }
        finally
        {
            if (directory is not null)
                Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>
    /// A stop with lldb's own differences between the builds set aside: <c>long</c> and
    /// <c>unsigned long</c> written as lldb-22 writes wasm32's (4-byte) ones, <c>int</c> and
    /// <c>unsigned int</c> (it picks the x86-64 type of the DWARF base type's size, whatever its
    /// name; <c>long long</c> is 8 bytes on both), and the program's own path as <c>&lt;program&gt;</c>.
    /// </summary>
    private static string LldbComparable(string stop, string program) =>
        FourByteLong().Replace(stop.Replace(program, "<program>", StringComparison.Ordinal), "int");

    // "long" alone (not "long long", "long double"), as a type name.
    [System.Text.RegularExpressions.GeneratedRegex(@"(?<!long )\blong\b(?! long| double)")]
    private static partial System.Text.RegularExpressions.Regex FourByteLong();
}
