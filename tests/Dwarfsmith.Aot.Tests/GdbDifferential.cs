using System.Text.Json;
using System.Text.Json.Nodes;
using Dwarfsmith.TestSupport;
using Dwarfsmith.Wasm;
using Xunit;

namespace Dwarfsmith.Aot.Tests;

/// <summary>
/// Runs a corpus program's <c>aot -g</c> build and its native build (clang-22 -g, both at -O0) under
/// gdb and compares what gdb shows: at every <c>/* BREAK: */</c> label (and at every stop of the
/// stepping commands run from each label's first hit) the same backtrace (functions, files and lines, ending at main),
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
/// <item>a non-null pointer whose target the native process cannot read (an integer punned into
/// it) is compared by its non-null-ness: in wasm it may point inside linear memory;</item>
/// <item>locals declared at or after the stop's line have no value yet (the script records them so);</item>
/// <item>stepping treats the C library as code without line information (Debugger/gdb_stops.py says
/// how): its lines are not the program's, and whether glibc's are installed varies by machine;</item>
/// <item>a step or next does not stop natively on a statement row that is one jump and whose line and
/// column the module has no row for (at a loop body's closing brace or a loop's exit: the wasm code
/// generator removed the jump, the code falls through); it goes on as it would without that row.</item>
/// </list>
/// </summary>
internal static class GdbDifferential
{
    /// <summary>The native builds' link flag: fixed addresses, which <see cref="DebugTest.UnsteppableStatements"/> names.</summary>
    public const string NativeAtFixedAddresses = "-no-pie";

    /// <summary>MemberData: every corpus program × DWARF 4 and 5.</summary>
    public static TheoryData<string, int> ProgramsAndDwarfVersions()
    {
        var data = new TheoryData<string, int>();
        foreach (var program in Corpus.Programs)
        {
            foreach (var version in new[] { 4, 5 })
                data.Add(program.Name, version);
        }

        return data;
    }

    /// <summary>
    /// MemberData for the slower debugger tests: every corpus program once, DWARF 4 and 5 in turn
    /// (both versions tested, each program once), or every program × both versions with the long
    /// tests (<see cref="TestRun.Long"/>). What differs between the versions is the encoding the
    /// translation reads and writes, which the faster tests cover for every program.
    /// </summary>
    public static TheoryData<string, int> ProgramsOnceEach()
    {
        if (TestRun.Long)
            return ProgramsAndDwarfVersions();
        var data = new TheoryData<string, int>();
        for (int i = 0; i < Corpus.Programs.Count; i++)
            data.Add(Corpus.Programs[i].Name, i % 2 == 0 ? 4 : 5);
        return data;
    }

    /// <param name="steps">gdb commands (step, next, finish) run from each label's first hit.</param>
    public static void AssertSameStops(string name, int dwarfVersion, IReadOnlyList<string> steps)
    {
        HostCapabilities.Ptrace.SkipUnlessAvailable();
        var (expected, actual, removed, source, _) = RunBoth(name, dwarfVersion, aotOptimization: 0, steps);
        AssertSameStops(expected, actual, removed, source);
    }

    /// <summary>
    /// gdb's stops at every break label of the corpus program <paramref name="name"/> (and at every
    /// step of <paramref name="steps"/> from each label's first hit): natively (clang-22 -O0 -g, at
    /// fixed addresses) and in the AOT build of its -O0 module with the C compiled at
    /// <paramref name="aotOptimization"/>; the module's variables the linker removed, and the source
    /// file's name. Above -O0, labels whose line the C compiler left no code of its own (gdb puts the
    /// breakpoint on a later line) are set in neither build and returned in <c>Moved</c> (label line → gdb's line).
    /// </summary>
    internal static (IReadOnlyList<string> Native, IReadOnlyList<string> Aot, HashSet<string> Removed, string Source, IReadOnlyList<string> Moved) RunBoth(
        string name, int dwarfVersion, int aotOptimization, IReadOnlyList<string> steps)
    {
        var program = Corpus.Get(name);
        // Both sides start their locals at zero: a local read before its first assignment (natively
        // stack garbage, in wasm what linear memory held) says nothing of the debug information.
        string[] zeroLocals = ["-ftrivial-auto-var-init=zero"];
        var wasm = program.Build(CompileOptions.Wasm(OptLevel.O0, dwarfVersion) with { Flags = zeroLocals }).Path;
        var executable = AotCompiler.CompileCached(WasmModule.ReadFile(wasm), Path.GetFileName(wasm),
            new AotOptions { OptimizationLevel = aotOptimization, DebugInfo = true }, RepoPaths.CacheDirectory("aot"));
        var native = program.Build(CompileOptions.Host(OptLevel.O0, dwarfVersion) with { Flags = [.. zeroLocals, NativeAtFixedAddresses] }).Path;
        var source = Path.GetFileName(program.SourcePath);
        var lines = program.Breakpoints.Values.Order().Select(line => $"{source}:{line}").ToList();
        IReadOnlyList<string> moved = [];
        if (aotOptimization > 0)
            (lines, moved) = LabelsWithCodeOfTheirOwn(executable, lines);

        var directory = program.NeedsWorkingDirectory ? RepoPaths.NewScratchDirectory(name) : null;
        try
        {
            var skipped = DebugTest.UnsteppableStatements.Find(native, wasm, source);
            var expected = GdbStops.Run([native, .. program.Args], lines, source, steps, skipped, program.Environment, directory);
            List<string> runtimeOptions = directory is null ? [] : ["--dir", $"{directory}::."];
            foreach (var (variable, value) in program.Environment)
                runtimeOptions.AddRange(["--env", $"{variable}={value}"]);
            var actual = GdbStops.Run([executable, .. runtimeOptions, "--", .. program.Args], lines, source, steps, null, null, directory);
            return (expected, actual, StopComparison.VariablesTheLinkerRemoved(wasm), source, moved);
        }
        finally
        {
            if (directory is not null)
                Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>
    /// Of <paramref name="lines"/> (<c>file.c:line</c>), those where gdb puts a breakpoint in
    /// <paramref name="executable"/> on the line itself, and the others as "<c>file.c:line → placed</c>":
    /// labels whose line the C compiler left no code of its own above -O0.
    /// </summary>
    internal static (List<string> Kept, IReadOnlyList<string> Moved) LabelsWithCodeOfTheirOwn(string executable, List<string> lines)
    {
        var placed = GdbStops.BreakpointLines(executable, lines);
        var kept = new List<string>();
        var moved = new List<string>();
        for (int i = 0; i < lines.Count; i++)
        {
            if (placed[i] == int.Parse(lines[i][(lines[i].LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture))
                kept.Add(lines[i]);
            else
                moved.Add($"{lines[i]} → {placed[i]?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}");
        }

        return (kept, moved);
    }

    /// <summary>
    /// Compares the stops gdb recorded natively (<paramref name="expected"/>) and in the AOT build of
    /// <paramref name="wasm"/> (<paramref name="actual"/>) one by one, by the rules of this class.
    /// </summary>
    public static void AssertSameStops(IReadOnlyList<string> expected, IReadOnlyList<string> actual, string wasm, string source) =>
        AssertSameStops(expected, actual, StopComparison.VariablesTheLinkerRemoved(wasm), source);

    /// <summary>Compares stops one by one by the rules of this class; <paramref name="debugger"/> names the debugger in the messages.</summary>
    internal static void AssertSameStops(IReadOnlyList<string> expected, IReadOnlyList<string> actual, HashSet<string> removed, string source, string debugger = "gdb")
    {
        Assert.NotEmpty(expected);
        for (int i = 0; i < Math.Max(expected.Count, actual.Count); i++)
        {
            Assert.True(i < actual.Count, $"stop {i}: {debugger} stopped natively at\n{expected[i]}\nbut not in the AOT build");
            Assert.True(i < expected.Count, $"stop {i}: {debugger} stopped in the AOT build at\n{actual[i]}\nbut not natively");
            var (nativeStop, aotStop) = StopComparison.Comparable(expected[i], actual[i], removed, source);
            string nativeText = StopComparison.Normalized(nativeStop), aotText = StopComparison.Normalized(aotStop);
            Assert.True(nativeText == aotText, $"stop {i}:\nnative: {nativeText}\naot -g: {aotText}");
        }
    }
}
