namespace Dwarfsmith.Bench;

/// <summary>
/// Benchmarks, each measured against an anchor tool on the same input in the same run.
/// Usage: bench/run.sh NAME [--runs N]. Results also go to artifacts/reports/bench-NAME.txt.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var name = args.FirstOrDefault();
        var runs = args.SkipWhile(a => a != "--runs").Skip(1).Select(int.Parse).FirstOrDefault(10);
        switch (name)
        {
            case "validate":
                return ValidateBenchmark.Run(runs);
            case "rewrite":
                return RewriteBenchmark.Run(runs);
            case "aot":
                // Each run of SQLite takes seconds in three engines: five unless asked otherwise.
                return AotBenchmark.Run(args.Contains("--runs") ? runs : 5);
            case "aot-debug":
                return AotDebugBenchmark.Run(args.Contains("--runs") ? runs : 5);
            case "aot-debug-build":
                // Each run compiles SQLite twice (minutes): one unless asked otherwise.
                return AotDebugBuildBenchmark.Run(args.Contains("--runs") ? runs : 1);
            case "coredump":
                return CoreDumpBenchmark.Run(args.Contains("--runs") ? runs : 5);
            case "compact":
                return CompactBenchmark.Run(runs);
            case "debugtest":
                // --engine native (default) or wasmtime; --runs is the number of programs here (default 20).
                return DebugTestBenchmark.Run(
                    args.SkipWhile(a => a != "--engine").Skip(1).FirstOrDefault("native"),
                    args.Contains("--runs") ? runs : 20);
            default:
                Console.Error.WriteLine("usage: bench/run.sh validate|rewrite|aot|aot-debug|aot-debug-build|coredump|compact|debugtest [--runs N] [--engine E]");
                return 64;
        }
    }
}
