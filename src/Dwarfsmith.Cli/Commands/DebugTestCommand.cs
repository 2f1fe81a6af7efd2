using System.CommandLine;
using Dwarfsmith.DebugTest;

namespace Dwarfsmith.Cli.Commands;

/// <summary>
/// <c>dwarfsmith debugtest [--seeds A-B | FILE.c…] [--engine native|wasmtime|aot] [--debugger gdb|lldb|both]
/// [-O0|-O1|-O2] [--steps N] [--jobs N] [--json] [--keep DIR [--reduce]] [--shard I/N] [--merge REPORT.json…]</c>: steps
/// random (Csmith) or given C programs built for the host and for the engine under the same debugger and reports
/// where the engine's side differs; exit 1 when it does.
/// </summary>
public static class DebugTestCommand
{
    public static Command Create(CliConsole console)
    {
        var files = new Argument<string[]>("files") { Description = "C files to compare (instead of, or beside, --seeds)", Arity = ArgumentArity.ZeroOrMore };
        var seeds = new Option<string?>("--seeds") { Description = "Csmith seeds A-B (inclusive)" };
        var engine = new Option<string>("--engine") { Description = "The side under test: wasmtime (default), aot, or native (the self-check)", DefaultValueFactory = _ => "wasmtime" };
        var debugger = new Option<string>("--debugger") { Description = "gdb, lldb or both (default)", DefaultValueFactory = _ => "both" };
        var levels = new[] { new Option<bool>("-O0") { Description = "Compare at -O0 (the default)" }, new Option<bool>("-O1") { Description = "Compare at -O1" }, new Option<bool>("-O2") { Description = "Compare at -O2" } };
        var steps = new Option<int>("--steps") { Description = "Recorded stops per program side (default 200)", DefaultValueFactory = _ => 200 };
        var jobs = new Option<int>("--jobs", "-j") { Description = "Programs compared in parallel (default: the processor count)", DefaultValueFactory = _ => Environment.ProcessorCount };
        var json = new Option<bool>("--json") { Description = "Print one JSON object (metrics, groups with counts, divergences)" };
        var keep = new Option<string?>("--keep") { Description = "Keep sources, builds and both transcripts of every divergent program in this directory" };
        var shard = new Option<string?>("--shard") { Description = "Run the I-th of N shares of the seeds (I/N, 1-based); the shards' --json reports merge with --merge" };
        var merge = new Option<string[]>("--merge") { Description = "Merge these --json reports (of shards) into one and print it", AllowMultipleArgumentsPerToken = true };
        var globalsEvery = new Option<int>("--globals-every") { Description = "Record the globals every K stops (default 10)", DefaultValueFactory = _ => 10 };
        var timeout = new Option<int>("--timeout") { Description = "One debugger session's limit in seconds (default 120)", DefaultValueFactory = _ => 120 };
        var damage = new Option<string?>("--damage") { Description = "Self-check: damage the native side under test (lines, swap-locals); the comparison must catch it" };
        var reduce = new Option<bool>("--reduce") { Description = "Reduce every divergent program with C-Vise (or C-Reduce) to a minimal one showing its first divergence (needs --keep: written under it)" };
        var cache = new Option<string?>("--cache") { Description = "Generated programs and builds (default: $XDG_CACHE_HOME/dwarfsmith/debugtest)" };
        var command = new Command("debugtest", "Differential debugger testing: step C programs built for the host and for a wasm engine side by side in gdb and lldb, and report where they differ")
        {
            files, seeds, engine, debugger, steps, jobs, json, keep, shard, merge, globalsEvery, timeout, damage, reduce, cache,
        };
        foreach (var level in levels)
            command.Options.Add(level);
        command.SetAction(parse => console.Guard(() =>
        {
            var merged = parse.GetValue(merge);
            if (merged is { Length: > 0 })
            {
                var texts = merged.Select(path => File.Exists(path) ? File.ReadAllText(path) : throw new MissingInputException($"{path}: no such file")).ToList();
                DebugTestReport report;
                try
                {
                    report = DebugTestReport.Merge(texts);
                }
                catch (Exception e) when (e is System.Text.Json.JsonException or KeyNotFoundException or InvalidOperationException)
                {
                    console.Error.WriteLine($"dwarfsmith: --merge: not a debugtest --json report: {e.Message}");
                    return ExitCodes.MalformedInput;
                }
                return Print(console, report, parse.GetValue(json), timings: false);
            }
            var seedList = new List<long>();
            if (parse.GetValue(seeds) is { } range)
                seedList = Parse(() => DebugTestOptions.ParseSeedRange(range));
            if (parse.GetValue(shard) is { } share)
                seedList = Parse(() => DebugTestOptions.Shard(seedList, share));
            var fileList = parse.GetValue(files) ?? [];
            foreach (var file in fileList)
            {
                if (!File.Exists(file))
                    throw new MissingInputException($"{file}: no such file");
            }
            if (seedList.Count == 0 && fileList.Length == 0 && parse.GetValue(shard) is null)
                throw new UsageException("give --seeds A-B or C files");
            var chosenLevels = Enumerable.Range(0, levels.Length).Where(i => parse.GetValue(levels[i])).ToList();
            var options = new DebugTestOptions
            {
                Seeds = seedList,
                Files = [.. fileList.Select(Path.GetFullPath)],
                Engine = parse.GetValue(engine)!,
                Damage = parse.GetValue(damage) is { } d ? Parse(() => SourceDamages.Parse(d)) : SourceDamage.None,
                Debuggers = parse.GetValue(debugger) switch
                {
                    "gdb" => [DebuggerKind.Gdb],
                    "lldb" => [DebuggerKind.Lldb],
                    "both" => [DebuggerKind.Gdb, DebuggerKind.Lldb],
                    var other => throw new UsageException($"--debugger must be gdb, lldb or both, not {other}"),
                },
                Optimizations = chosenLevels.Count == 0 ? [0] : chosenLevels,
                Steps = Positive(parse.GetValue(steps), "--steps"),
                GlobalsEvery = Positive(parse.GetValue(globalsEvery), "--globals-every"),
                Jobs = Positive(parse.GetValue(jobs), "--jobs"),
                KeepDirectory = parse.GetValue(keep) is { } k ? Path.GetFullPath(k) : null,
                SessionTimeout = TimeSpan.FromSeconds(Positive(parse.GetValue(timeout), "--timeout")),
                CacheDirectory = Path.GetFullPath(parse.GetValue(cache) ?? CacheDirectory()),
            };
            if (!DebugEngines.Names.Contains(options.Engine))
                throw new UsageException($"--engine must be one of {string.Join(", ", DebugEngines.Names)}, not {options.Engine}");
            if (options.Damage != SourceDamage.None && options.Engine != "native")
                throw new UsageException("--damage applies to --engine native only");
            if (parse.GetValue(reduce) && options.KeepDirectory is null)
                throw new UsageException("--reduce needs --keep DIR (the reduced programs are written there)");
            try
            {
                var report = DebugTestRunner.Run(options, console.Error);
                var code = Print(console, report, parse.GetValue(json), timings: true);
                if (parse.GetValue(reduce))
                    ReduceAll(console, report, options);
                return code;
            }
            catch (NotSupportedException e)
            {
                console.Error.WriteLine($"dwarfsmith: {e.Message}");
                return ExitCodes.Unsupported;
            }
            catch (DebugTestException e)
            {
                console.Error.WriteLine($"dwarfsmith: {e.Message}");
                return ExitCodes.InternalError;
            }
        }));
        return command;
    }

    /// <summary>$XDG_CACHE_HOME/dwarfsmith/debugtest, else ~/.cache/dwarfsmith/debugtest.</summary>
    public static string CacheDirectory() => Path.Combine(Path.GetDirectoryName(RunCommand.CacheDirectory())!, "debugtest");

    /// <summary>Reduces each divergent program (per engine, debugger and level) for its first divergence, into KEEP/PROGRAM/GROUP/reduced/.</summary>
    private static void ReduceAll(CliConsole console, DebugTestReport report, DebugTestOptions options)
    {
        var programs = options.Seeds.Select(seed => Csmith.Generate(seed, options.CacheDirectory))
            .Concat(options.Files.Select(TestProgram.FromFile))
            .ToDictionary(p => p.Name, StringComparer.Ordinal);
        var self = Environment.ProcessPath ?? "dwarfsmith";
        IReadOnlyList<string> dwarfsmith = Path.GetFileNameWithoutExtension(self) == "dotnet"
            ? [self, Path.Combine(AppContext.BaseDirectory, "dwarfsmith.dll")]
            : [self];
        foreach (var first in report.Divergences.GroupBy(d => (d.Program, d.Group)).Select(g => g.First()))
        {
            var directory = Path.Combine(options.KeepDirectory!, first.Program, $"{first.Engine}-{first.Debugger}-O{first.Optimization}", "reduced");
            try
            {
                var reduced = Reducer.Reduce(programs[first.Program], first, options, dwarfsmith, directory, TimeSpan.FromHours(2));
                console.Error.WriteLine($"{first.Program} ({first.Group}): reduced to {reduced} ({File.ReadAllLines(reduced).Length} lines)");
            }
            catch (DebugTestException e)
            {
                console.Error.WriteLine($"dwarfsmith: {e.Message}");
            }
        }
    }

    private static int Print(CliConsole console, DebugTestReport report, bool json, bool timings)
    {
        console.Out.Write(json ? report.ToJson() : report.ToText());
        if (timings)
            console.Error.WriteLine(report.TimingText());
        return report.HasDivergences ? ExitCodes.FailureFound : ExitCodes.Ok;
    }

    private static T Parse<T>(Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
        {
            throw new UsageException(e.Message);
        }
    }

    private static int Positive(int value, string option) => value > 0 ? value : throw new UsageException($"{option} must be positive");
}
