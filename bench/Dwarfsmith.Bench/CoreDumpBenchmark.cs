using Dwarfsmith.Aot;
using Dwarfsmith.TestSupport;
using Dwarfsmith.Wasm;
using Dwarfsmith.Wasm.CoreDumps;

namespace Dwarfsmith.Bench;

/// <summary>
/// What writing a core dump on a trap costs (<see cref="AotOptions.CoreDumpOnTrap"/>): a program with
/// 64 MiB of linear memory in use (bench/programs/memory_trap.c; target: the dump written in under a
/// second) and SQLite trapping in the middle of a query over 200,000 rows (sqlite_trap.c), AOT-compiled
/// at -O2. The anchor is the same executable trapping the same way with the dump turned off (an empty
/// <c>--coredump-on-trap</c> path), run interleaved: the difference is the time spent writing the dump.
/// </summary>
public static class CoreDumpBenchmark
{
    public static int Run(int runs)
    {
        var lines = new List<string>();
        foreach (var (title, wasm) in new[] { ("64 MiB of linear memory (memory_trap.c)", MemoryWasm()), ("SQLite mid-query (sqlite_trap.c, 200,000 rows)", SqliteWasm()) })
        {
            var module = WasmModule.ReadFile(wasm);
            var executable = AotCompiler.CompileCached(module, Path.GetFileName(wasm),
                new AotOptions { OptimizationLevel = 2, Parts = Environment.ProcessorCount, CoreDumpOnTrap = true }, RepoPaths.CacheDirectory("aot"));
            var folder = Directory.CreateTempSubdirectory("dwarfsmith-coredump-bench-").FullName;
            var dump = Path.Combine(folder, "trap.coredump");
            var timings = Measure.ProcessesExiting(134, runs,
                ("trap, no core dump (anchor)", executable, ["--coredump-on-trap", ""]),
                ("trap, core dump written", executable, ["--coredump-on-trap", dump]));
            var parsed = CoreDumpReader.Read(File.ReadAllBytes(dump));
            var memory = parsed.Memories.Count > 0 ? parsed.Memories[0].Size : 0;
            lines.AddRange(["", title, .. timings.Select(t => t.ToString()),
                $"core dump: {new FileInfo(dump).Length / 1e6:F1} MB for {memory / (double)(1 << 20):F1} MiB of linear memory, " +
                $"{parsed.Threads[0].Frames.Count} frames",
                $"writing the dump: median {timings[1].Median - timings[0].Median:F1} ms, min {timings[1].Min - timings[0].Min:F1} ms " +
                $"(ratio with / without: median {timings[1].Median / timings[0].Median:F2})"]);
            Directory.Delete(folder, recursive: true);
        }

        Measure.Report("coredump", lines);
        return 0;
    }

    private static string Programs => Path.Combine(RepoPaths.Root, "bench", "programs");

    private static string MemoryWasm() => CCompiler.Compile(Path.Combine(Programs, "memory_trap.c"), CompileOptions.Wasm(OptLevel.O2)).Path;

    private static string SqliteWasm() => CCompiler.Compile([Path.Combine(Corpus.SqliteDirectory, "sqlite3.c"), Path.Combine(Programs, "sqlite_trap.c")], new CompileOptions
    {
        Target = CompileTarget.Wasm32Wasi,
        Opt = OptLevel.O2,
        Flags = [.. Corpus.SqliteWasmFlags, "-I" + Corpus.SqliteDirectory, .. Corpus.SqliteWasmLibraries],
        DependencyFiles = [Path.Combine(Corpus.SqliteDirectory, "sqlite3.h")],
        OutputName = "sqlite_trap.wasm",
    }).Path;
}
