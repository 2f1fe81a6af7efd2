using Dwarfsmith.TestSupport;
using Dwarfsmith.Wasm;
using Xunit;

namespace Dwarfsmith.Aot.Tests;

/// <summary>
/// <c>aot -g</c> against the native build of the same C program (clang-22 -g), both under gdb: at
/// every <c>/* BREAK: */</c> label, the same backtrace (functions, files and lines, ending at main),
/// the same arguments, locals and statics with equal values (pointers by null-ness, and what they
/// point to), the same globals of the program's file. Differences of the two platforms, not of the
/// debug information, are set aside by rules, each stated where it is applied:
/// <list type="bullet">
/// <item>a variable wasm-ld removed (its location in the module is the tombstone, e.g. a constant
/// pointer it folded into its uses) is optimized out in the AOT build and may have a value natively;</item>
/// <item>frames in the C library (glibc natively, wasi-libc in wasm: other functions, other files)
/// are left out of the backtraces, which are compared on the program's own frames;</item>
/// <item>va_list, which the two targets define differently (an array of a struct on x86-64, which a
/// parameter declared va_list decays from; in wasm32 a pointer, null when no variadic argument was
/// passed), is compared by name, not by type or value;</item>
/// <item>locals declared at or after the stop's line have no value yet (the script records them so).</item>
/// </list>
/// </summary>
public sealed class DebugInfoGdbTests
{
    public static TheoryData<string, int> Programs
    {
        get
        {
            var data = new TheoryData<string, int>();
            foreach (var program in Corpus.Programs)
            {
                foreach (var version in new[] { 4, 5 })
                    data.Add(program.Name, version);
            }

            return data;
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Programs))]
    public void At_every_break_label_gdb_shows_what_it_shows_natively(string name, int dwarfVersion)
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
            var expected = GdbStops.Run([native, .. program.Args], lines, source, program.Environment, directory);
            List<string> runtimeOptions = directory is null ? [] : ["--dir", $"{directory}::."];
            foreach (var (variable, value) in program.Environment)
                runtimeOptions.AddRange(["--env", $"{variable}={value}"]);
            var actual = GdbStops.Run([executable, .. runtimeOptions, "--", .. program.Args], lines, source, null, directory);

            Assert.NotEmpty(expected);
            var removed = StopComparison.VariablesTheLinkerRemoved(wasm);
            for (int i = 0; i < Math.Max(expected.Count, actual.Count); i++)
            {
                Assert.True(i < actual.Count, $"stop {i}: gdb stopped natively at\n{expected[i]}\nbut not in the AOT build");
                Assert.True(i < expected.Count, $"stop {i}: gdb stopped in the AOT build at\n{actual[i]}\nbut not natively");
                var (nativeStop, aotStop) = StopComparison.Comparable(expected[i], actual[i], removed, source);
                Assert.True(nativeStop == aotStop, $"stop {i}:\nnative: {nativeStop}\naot -g: {aotStop}");
            }
        }
        finally
        {
            if (directory is not null)
                Directory.Delete(directory, recursive: true);
        }
    }
}
