using Dwarfsmith.TestSupport;
using Dwarfsmith.Wasm;
using Xunit;

namespace Dwarfsmith.Aot.Tests;

/// <summary>
/// Random programs stepped in gdb: for 20 fixed Csmith seeds (5 by default, 20 with the long tests), the <c>aot -g</c> build (wasm -O0, C -O0)
/// and the native build of the same program break at <c>func_1</c>, then step 100 times; every stop
/// must be the same, by the rules of <see cref="GdbDifferential"/>: the line and backtrace, the
/// locals and arguments, and every global of the program with equal values. Csmith's safe-math
/// helpers (its headers) are stepped as the C library is, as code without lines.
/// </summary>
public sealed class CsmithGdbSteppingTests
{
    private const int Steps = 100;

    // Seeds whose programs end less than 100 steps after entering func_1 (natively, measured): left
    // out, so that every seed taken gives its 100 stops.
    private static readonly HashSet<int> s_shortAfterFunc1 = [1004, 1006, 1015];


    /// <summary>The first 20 seeds from 1000 that step 100 times (the first 5 without the long tests, <see cref="TestRun.Long"/>).</summary>
    public static TheoryData<int> Seeds => new(Enumerable.Range(1000, 100)
        .Where(seed => !s_shortAfterFunc1.Contains(seed)).Take(TestRun.Long ? 20 : 5));

    [SkippableTheory]
    [MemberData(nameof(Seeds))]
    public void Hundred_steps_from_func_1_stop_where_they_stop_natively(int seed)
    {
        HostCapabilities.Ptrace.SkipUnlessAvailable();
        var source = CsmithPrograms.Generate(seed);
        // Locals start at zero on both sides (see GdbDifferential's tests).
        IReadOnlyList<string> flags = [.. CsmithPrograms.Flags, "-ftrivial-auto-var-init=zero"];
        var wasm = CCompiler.Compile(source, CompileOptions.Wasm(OptLevel.O0) with { Flags = flags }).Path;
        var native = CCompiler.Compile(source, CompileOptions.Host(OptLevel.O0) with { Flags = [.. flags, GdbDifferential.NativeAtFixedAddresses] }).Path;
        var executable = AotCompiler.CompileCached(WasmModule.ReadFile(wasm), Path.GetFileName(wasm),
            new AotOptions { OptimizationLevel = 0, DebugInfo = true }, RepoPaths.CacheDirectory("aot"));
        var file = Path.GetFileName(source);
        var steps = Enumerable.Repeat("step", Steps).ToList();
        var skipped = DebugTest.UnsteppableStatements.Find(native, wasm, file);

        var expected = GdbStops.Run([native], ["func_1"], file, steps, skipped, maxStops: 1);
        var actual = GdbStops.Run([executable], ["func_1"], file, steps, maxStops: 1);
        Assert.True(expected.Count == Steps + 1, $"seed {seed}: {expected.Count} stops natively, not func_1's and {Steps} steps'");
        GdbDifferential.AssertSameStops(expected, actual, wasm, file);
    }
}
