using Dwarfsmith.Aot;
using Dwarfsmith.TestSupport;
using Dwarfsmith.Wasm;

namespace Dwarfsmith.Bench;

/// <summary>
/// What a debug build's memory alias (<see cref="AotOptions.DebugInfo"/>: linear memory in a memfd,
/// mapped twice) costs at run time: the SQLite and CPU-bound programs of <see cref="AotBenchmark"/>,
/// AOT-compiled at -O2 with and without it, interleaved. The anchor is the build without it.
/// </summary>
public static class AotDebugBenchmark
{
    public static int Run(int runs)
    {
        var lines = new List<string>();
        foreach (var (title, wasm) in new[] { ("SQLite (sqlite_bench.c, 200,000 rows)", AotBenchmark.SqliteWasm()), ("CPU-bound (cpu_bench.c)", AotBenchmark.CpuWasm()) })
        {
            var module = WasmModule.ReadFile(wasm);
            var name = Path.GetFileName(wasm);
            var options = new AotOptions { OptimizationLevel = 2, Parts = Environment.ProcessorCount };
            var plain = AotCompiler.CompileCached(module, name, options, RepoPaths.CacheDirectory("aot"));
            var debug = AotCompiler.CompileCached(module, name, options with { DebugInfo = true }, RepoPaths.CacheDirectory("aot"));
            var expected = ProcessRunner.Run(plain, ["--"]).EnsureSuccess().StandardOutput;
            if (ProcessRunner.Run(debug, ["--"]).EnsureSuccess().StandardOutput != expected)
                throw new InvalidOperationException($"{title}: the debug build prints something else");
            var timings = Measure.Processes(runs,
                ("dwarfsmith aot -O2", plain, ["--"]),
                ("dwarfsmith aot -O2, memory alias (DebugInfo)", debug, ["--"]));
            lines.AddRange(["", title, .. timings.Select(t => t.ToString()),
                $"ratio alias / plain: median {timings[1].Median / timings[0].Median:F3}, min {timings[1].Min / timings[0].Min:F3}"]);
        }
        Measure.Report("aot-debug", lines);
        return 0;
    }
}
