using Dwarfsmith.TestSupport;
using Dwarfsmith.Wasm;

namespace Dwarfsmith.Aot.Tests;

/// <summary>
/// Runs a corpus program's <c>aot -g</c> build (with Dwarfsmith's lldb extension loaded, as
/// <c>dwarfsmith lldb</c> runs it) and its native build (clang-22 -O0 -g, lldb-22 alone) under
/// lldb-22, and compares the stops by <see cref="GdbDifferential"/>'s rules plus lldb's own
/// (<see cref="LldbComparable"/>): it names a base type by its size in its x86-64 type system, so
/// wasm32's 4-byte <c>long</c> shows as <c>int</c>; and the program's path (argv[0]) is each build's own.
/// </summary>
internal static partial class LldbDifferential
{
    /// <summary>
    /// lldb's stops at every break label of the corpus program <paramref name="name"/> (and at every
    /// step of <paramref name="steps"/> from each label's first hit), natively and in the AOT build of
    /// its -O0 module with the C compiled at <paramref name="aotOptimization"/>, each with lldb's own
    /// differences set aside (<see cref="LldbComparable"/>); the module's variables the linker
    /// removed, the source file's name, and the labels set in neither build (see <see cref="GdbDifferential.RunBoth"/>).
    /// </summary>
    public static (IReadOnlyList<string> Native, IReadOnlyList<string> Aot, HashSet<string> Removed, string Source, IReadOnlyList<string> Moved) RunBoth(
        string name, int dwarfVersion, int aotOptimization, IReadOnlyList<string> steps)
    {
        HostCapabilities.Ptrace.SkipUnlessAvailable();
        var program = Corpus.Get(name);
        // Both sides start their locals at zero: a local read before its first assignment (natively
        // stack garbage, in wasm what linear memory held) says nothing of the debug information.
        string[] zeroLocals = ["-ftrivial-auto-var-init=zero"];
        var wasm = program.Build(CompileOptions.Wasm(OptLevel.O0, dwarfVersion) with { Flags = zeroLocals }).Path;
        var executable = AotCompiler.CompileCached(WasmModule.ReadFile(wasm), Path.GetFileName(wasm),
            new AotOptions { OptimizationLevel = aotOptimization, DebugInfo = true }, RepoPaths.CacheDirectory("aot"));
        var native = program.Build(CompileOptions.Host(OptLevel.O0, dwarfVersion) with { Flags = zeroLocals }).Path;
        var source = Path.GetFileName(program.SourcePath);
        List<string> lines = [.. program.Breakpoints.Values.Order().Select(line => $"{source}:{line}")];
        // Above -O0, labels whose line has no code of its own are set in neither build (as under
        // gdb, GdbDifferential.RunBoth; gdb's placement decides, in the same executable).
        IReadOnlyList<string> moved = [];
        if (aotOptimization > 0)
            (lines, moved) = GdbDifferential.LabelsWithCodeOfTheirOwn(executable, lines);

        var directory = program.NeedsWorkingDirectory ? RepoPaths.NewScratchDirectory(name) : null;
        try
        {
            // lldb_stops.py compares file addresses: the native build need not be at fixed addresses.
            var skipped = steps.Count > 0 ? DebugTest.UnsteppableStatements.Find(native, wasm, source) : null;
            var expected = LldbStops.Run([native, .. program.Args], lines, source, withExtension: false, steps, skipped, program.Environment, directory);
            List<string> runtimeOptions = directory is null ? [] : ["--dir", $"{directory}::."];
            foreach (var (variable, value) in program.Environment)
                runtimeOptions.AddRange(["--env", $"{variable}={value}"]);
            var actual = LldbStops.Run([executable, .. runtimeOptions, "--", .. program.Args], lines, source, withExtension: true, steps, null, null, directory);
            return ([.. expected.Select(stop => LldbComparable(stop, native))], [.. actual.Select(stop => LldbComparable(stop, executable))],
                StopComparison.VariablesTheLinkerRemoved(wasm), source, moved);
        }
        finally
        {
            if (directory is not null)
                Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Runs both builds at -O0 and asserts that every stop is the same (see the class's summary).</summary>
    public static void AssertSameStops(string name, int dwarfVersion, IReadOnlyList<string> steps)
    {
        var (expected, actual, removed, source, _) = RunBoth(name, dwarfVersion, aotOptimization: 0, steps);
        GdbDifferential.AssertSameStops(expected, actual, removed, source, "lldb");
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
