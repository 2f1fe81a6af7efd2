using System.Globalization;
using Dwarfsmith.Aot;
using Dwarfsmith.TestSupport;
using Dwarfsmith.Wasm;

namespace Dwarfsmith.Bench;

/// <summary>
/// What <c>aot -O2 -g</c> adds to a build of SQLite (its driver, <see cref="AotBenchmark.SqliteWasm"/>,
/// a module with DWARF): the debug information's translation (reading the executable's DWARF and
/// the module's, the pass) and its attaching (objcopy), beside the C compile of the same build, which
/// is the anchor (target: the translation at most 10% of it); and the C compile without -g beside
/// it (debug builds keep the translated functions out of line). Each build compiles afresh (no
/// cache), all in this run.
/// </summary>
public static class AotDebugBuildBenchmark
{
    public static int Run(int runs)
    {
        var wasm = AotBenchmark.SqliteWasm();
        var module = WasmModule.ReadFile(wasm);
        var lines = new List<string> { "", $"SQLite driver ({Path.GetFileName(wasm)}, {module.Bytes.Length / 1e6:F1} MB with DWARF), C at -O2, {Environment.ProcessorCount} parts" };
        var ratios = new List<double>();
        for (int run = 0; run < runs; run++)
        {
            var directory = Directory.CreateTempSubdirectory("dwarfsmith-bench-").FullName;
            try
            {
                var options = new AotOptions { OptimizationLevel = 2, Parts = Environment.ProcessorCount, RuntimeCacheDirectory = RepoPaths.CacheDirectory("aot-runtime") };
                var plain = new AotPhaseTimes();
                AotCompiler.Compile(module, Path.GetFileName(wasm), Path.Combine(directory, "plain"), options with { PhaseTimes = plain });
                var debug = new AotPhaseTimes();
                AotCompiler.Compile(module, Path.GetFileName(wasm), Path.Combine(directory, "debug"), options with { DebugInfo = true, PhaseTimes = debug });
                double ratio = debug.DebugInfoTransform / debug.CCompile;
                ratios.Add(ratio);
                lines.Add(string.Create(CultureInfo.InvariantCulture,
                    $"run {run + 1}: -g: C compile {debug.CCompile.TotalSeconds:F1} s, DWARF translation {debug.DebugInfoTransform.TotalSeconds:F2} s ({ratio:P1} of the C compile), attach {debug.DebugInfoAttach.TotalSeconds:F2} s; without -g: C compile {plain.CCompile.TotalSeconds:F1} s"));
            }
            finally
            {
                Directory.Delete(directory, recursive: true);
            }
        }

        ratios.Sort();
        lines.Add(string.Create(CultureInfo.InvariantCulture, $"translation / C compile: median {ratios[ratios.Count / 2]:P1}, max {ratios[^1]:P1} (target at most 10%)"));
        Measure.Report("aot-debug-build", lines);
        return 0;
    }
}
