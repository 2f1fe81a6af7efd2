using System.Diagnostics;
using System.Globalization;
using Dwarfsmith.DebugTest;
using Dwarfsmith.TestSupport;

namespace Dwarfsmith.Bench;

/// <summary>
/// The differential harness's throughput: Csmith programs per minute with 200 recorded stops per side, gdb and
/// lldb, builds included (a fresh cache, so every program is generated and built), all cores as jobs. Target: at
/// least 20 per minute on a 2-core machine. Anchor, in the same run: the same programs' sessions reduced to what
/// no harness can avoid, each debugger loading the native build, running it to <c>main</c> and killing it (a
/// Csmith program may run for minutes to its end; the harness stops after its 200 stops).
/// The breakdown (builds, the two sides' sessions, comparison) says where the time goes.
/// </summary>
public static class DebugTestBenchmark
{
    public static int Run(string engine, int programs)
    {
        var cache = Path.Combine(RepoPaths.CacheDirectory("debugtest-bench"), DateTime.UtcNow.Ticks.ToString(CultureInfo.InvariantCulture));
        var seeds = Enumerable.Range(5001, programs).Select(s => (long)s).ToList();
        var options = new DebugTestOptions
        {
            Seeds = seeds,
            Engine = engine,
            Jobs = Environment.ProcessorCount,
            CacheDirectory = cache,
        };
        try
        {
            var report = DebugTestRunner.Run(options);
            Console.WriteLine(report.ToText());
            Console.WriteLine(report.TimingText());
            var minutes = report.Timings.Total.TotalMinutes;
            var anchor = Anchor(seeds, cache);
            var lines = new List<string>
            {
                $"debugtest --engine {engine}: {programs} Csmith programs (seeds {seeds[0]}-{seeds[^1]}), 200 stops, gdb and lldb, -O0, {options.Jobs} jobs, fresh cache",
                $"throughput: {programs / minutes:F1} programs per minute ({report.Timings.Total.TotalSeconds:F1} s wall)",
                report.TimingText(),
                $"anchor: gdb and lldb each starting each native build and stopping at main: {anchor.TotalSeconds:F1} s summed ({anchor.TotalSeconds / programs:F2} s per program); the harness's sessions: {(report.Timings.Reference + report.Timings.Test).TotalSeconds / programs:F2} s per program",
                $"steps compared: {report.Total.Steps}; divergent programs: {report.Total.DivergentPrograms}",
            };
            Measure.Report("debugtest-" + engine, lines);
            return 0;
        }
        finally
        {
            Directory.Delete(cache, recursive: true);
        }
    }

    /// <summary>Each program's host build (from the cache the run filled) started to main by gdb and by lldb, one after the other.</summary>
    private static TimeSpan Anchor(IReadOnlyList<long> seeds, string cache)
    {
        var builds = new Builds(cache);
        var stopwatch = Stopwatch.StartNew();
        foreach (var seed in seeds)
        {
            var program = Csmith.Generate(seed, cache);
            var exe = builds.Build(program, program.SourcePath, BuildTarget.Host, 0, []);
            ProcessRunner.Run(Toolchain.Gdb, ["-batch", "-nx", "-ex", "break main", "-ex", "run", "-ex", "kill", exe]).EnsureSuccess();
            ProcessRunner.Run(Toolchain.Lldb, ["-b", "-o", "breakpoint set -n main", "-o", "run", "-o", "kill", exe]).EnsureSuccess();
        }
        return stopwatch.Elapsed;
    }
}
