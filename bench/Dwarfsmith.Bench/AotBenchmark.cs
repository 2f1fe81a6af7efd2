using System.Diagnostics;
using Dwarfsmith.Aot;
using Dwarfsmith.TestSupport;
using Dwarfsmith.Wasm;

namespace Dwarfsmith.Bench;

/// <summary>
/// The AOT engine's generated code against node (V8) and against the same C compiled natively by
/// clang-22 -O2, whole process against whole process, interleaved: SQLite doing real work
/// (bench/programs/sqlite_bench.c) and a CPU-bound program (bench/programs/cpu_bench.c), both built
/// for wasm at -O2. Also the translator's throughput (wasm MB/s into C) and the C compile time of
/// SQLite's translation, in one file and split into parallel parts. Targets: faster than node,
/// within 1.5× of native.
/// </summary>
public static class AotBenchmark
{
    private static readonly string Programs = Path.Combine(RepoPaths.Root, "bench", "programs");

    public static int Run(int runs)
    {
        var lines = new List<string>();
        var sqliteWasm = SqliteWasm();
        var sqliteNative = CCompiler.Compile(SqliteSources, new CompileOptions
        {
            Target = CompileTarget.HostClang,
            Opt = OptLevel.O2,
            Flags = [.. Corpus.SqliteWasmFlags.Take(2), "-I" + Corpus.SqliteDirectory, "-g0"],
            DependencyFiles = [Path.Combine(Corpus.SqliteDirectory, "sqlite3.h")],
            OutputName = "sqlite_bench",
        }).Path;
        var cpuWasm = CpuWasm();
        var cpuNative = CCompiler.Compile(CpuSource, CompileOptions.Host(OptLevel.O2)).Path;

        var sqliteModule = WasmModule.ReadFile(sqliteWasm);
        lines.AddRange(TranslationAndCompile(sqliteModule, out var sqliteAot));
        var cpuAot = AotCompiler.CompileCached(WasmModule.ReadFile(cpuWasm), "cpu_bench.wasm", new AotOptions { OptimizationLevel = 2 }, RepoPaths.CacheDirectory("aot"));

        lines.AddRange(Compare("SQLite (sqlite_bench.c, 200,000 rows)", runs, sqliteWasm, sqliteAot, sqliteNative));
        lines.AddRange(Compare("CPU-bound (cpu_bench.c)", runs, cpuWasm, cpuAot, cpuNative));
        Measure.Report("aot", lines);
        return 0;
    }

    private static string[] SqliteSources => [Path.Combine(Corpus.SqliteDirectory, "sqlite3.c"), Path.Combine(Programs, "sqlite_bench.c")];

    private static string CpuSource => Path.Combine(Programs, "cpu_bench.c");

    /// <summary>bench/programs/sqlite_bench.c with SQLite, built for wasm at -O2 (cached).</summary>
    internal static string SqliteWasm() => CCompiler.Compile(SqliteSources, new CompileOptions
    {
        Target = CompileTarget.Wasm32Wasi,
        Opt = OptLevel.O2,
        Flags = [.. Corpus.SqliteWasmFlags, "-I" + Corpus.SqliteDirectory, .. Corpus.SqliteWasmLibraries],
        DependencyFiles = [Path.Combine(Corpus.SqliteDirectory, "sqlite3.h")],
        OutputName = "sqlite_bench.wasm",
    }).Path;

    /// <summary>bench/programs/cpu_bench.c built for wasm at -O2 (cached).</summary>
    internal static string CpuWasm() => CCompiler.Compile(CpuSource, CompileOptions.Wasm(OptLevel.O2)).Path;

    /// <summary>Translation throughput in process, then the C compile of the translation: one file, and split.</summary>
    private static List<string> TranslationAndCompile(WasmModule module, out string executable)
    {
        var lines = new List<string>();
        var codeBytes = module.CodeSection!.PayloadSize;
        CTranslation? translation = null;
        var translate = Measure.InProcess("in-process: translate SQLite to C", 5, () => translation = CTranslator.Translate(module, "sqlite_bench.wasm"));
        lines.Add($"SQLite module: {module.Bytes.Length / 1e6:F2} MB, code section {codeBytes / 1e6:F2} MB; C: {translation!.Source.Length / 1e6:F1} MB");
        lines.Add(translate.ToString());
        lines.Add($"translation throughput: {module.Bytes.Length / 1e6 / (translate.Median / 1000):F1} MB/s of module ({codeBytes / 1e6 / (translate.Median / 1000):F1} MB/s of code)");

        executable = Path.Combine(RepoPaths.CacheDirectory("aot-bench"), "sqlite_bench");
        // Split first, so that the executable timed below is the one-file build (every function static).
        foreach (var parts in new[] { Environment.ProcessorCount, 1 })
        {
            var stopwatch = Stopwatch.StartNew();
            AotCompiler.Compile(module, "sqlite_bench.wasm", executable, new AotOptions { OptimizationLevel = 2, Parts = parts });
            lines.Add($"C compile of SQLite's translation, clang-22 -O2, {parts} part{(parts == 1 ? "" : "s")}{(parts > 1 ? " in parallel" : "")}: {stopwatch.Elapsed.TotalSeconds:F1} s (wall)");
        }
        return lines;
    }

    /// <summary>node, AOT and native on one program, interleaved; all three must print the same.</summary>
    private static List<string> Compare(string title, int runs, string wasm, string aot, string native)
    {
        var node = NodeWasi.Run(wasm, new WasiOptions { Timeout = TimeSpan.FromMinutes(5) });
        var ours = ProcessRunner.Run(aot, ["--"]);
        var theirs = ProcessRunner.Run(native, []);
        if (node.ExitCode != 0 || node.StandardOutput != ours.StandardOutput || node.StandardOutput != theirs.StandardOutput)
        {
            throw new InvalidOperationException($"{title}: outputs differ\nnode (exit {node.ExitCode}):\n{node.StandardOutput}{node.StandardError}\n" +
                $"aot (exit {ours.ExitCode}):\n{ours.StandardOutput}{ours.StandardError}\nnative (exit {theirs.ExitCode}):\n{theirs.StandardOutput}{theirs.StandardError}");
        }
        var nodeArguments = NodeWasi.CommandLine(wasm, new WasiOptions());
        var timings = Measure.Processes(runs,
            ("node (V8) " + Path.GetFileName(wasm), Toolchain.Node, nodeArguments),
            ("dwarfsmith aot -O2 (clang-22)", aot, ["--"]),
            ("native clang-22 -O2", native, []));
        var (n, a, c) = (timings[0].Median, timings[1].Median, timings[2].Median);
        return
        [
            "",
            title,
            .. timings.Select(t => t.ToString()),
            $"ratio aot / node: {a / n:F2} (target < 1.00: {(a < n ? "met" : "NOT met")});  aot / native: {a / c:F2} (target <= 1.50: {(a <= 1.5 * c ? "met" : "NOT met")})",
        ];
    }
}
