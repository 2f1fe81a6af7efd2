using System.Diagnostics;

namespace Dwarfsmith.DebugTest;

/// <summary>
/// Runs a comparison: for every program and level, builds the reference (native) side and the engine's side,
/// steps both in each debugger and compares. Programs run in parallel (<see cref="DebugTestOptions.Jobs"/>);
/// the report lists them in a fixed order, so the same seeds give the same report.
/// </summary>
public static class DebugTestRunner
{
    public static DebugTestReport Run(DebugTestOptions options, TextWriter? progress = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        // Programs report from the worker threads.
        progress = progress is null ? null : TextWriter.Synchronized(progress);
        var programs = new List<Func<TestProgram>>();
        foreach (var seed in options.Seeds)
            programs.Add(() => Csmith.Generate(seed, options.CacheDirectory));
        foreach (var file in options.Files)
            programs.Add(() => TestProgram.FromFile(file));
        var engine = DebugEngines.Create(options.Engine, options.Damage);
        var builds = new Builds(options.CacheDirectory);
        var settings = new SessionSettings(options.Steps, options.GlobalsEvery, options.SessionTimeout);
        var results = new ProgramResult[programs.Count];
        var total = Stopwatch.StartNew();
        var scratch = Directory.CreateTempSubdirectory("dwarfsmith-debugtest-");
        try
        {
            Parallel.For(0, programs.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Jobs) }, i =>
            {
                var program = programs[i]();
                results[i] = RunProgram(program, engine, builds, settings, options, Path.Combine(scratch.FullName, i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                progress?.WriteLine($"{program.Name}: {results[i].Summary}");
            });
        }
        catch (AggregateException e)
        {
            // A failure outside the comparison (an engine that cannot run, a missing tool): the first one, as itself.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
        var report = new DebugTestReport { HostBits = Builds.Host32 ? 32 : 64 };
        foreach (var result in results)
        {
            foreach (var (group, comparison) in result.Comparisons)
                report.Add(group, comparison);
            report.Timings.Add(result.Timings);
        }
        report.Timings.Total = total.Elapsed;
        return report;
    }

    private static ProgramResult RunProgram(TestProgram program, IDebugEngine engine, Builds builds, SessionSettings settings,
        DebugTestOptions options, string workDirectory)
    {
        var result = new ProgramResult();
        foreach (var level in options.Optimizations)
        {
            var directory = Directory.CreateDirectory(Path.Combine(workDirectory, "O" + level)).FullName;
            var stopwatch = Stopwatch.StartNew();
            DebugTarget reference;
            DebugTarget test;
            try
            {
                reference = new NativeEngine().Prepare(program, level, builds, directory);
                test = engine.Prepare(program, level, builds, directory);
                if (test.Module is { } module)
                    reference = reference with { SkipAddresses = UnsteppableStatements.Find(reference.Command[0], module, program.SourceFileName) };
            }
            catch (DebugTestException e)
            {
                foreach (var debugger in options.Debuggers)
                    result.Comparisons.Add((new GroupKey(engine.Name, DebuggerSession.Name(debugger), level), BuildFailure(program, engine, debugger, level, e.Message)));
                continue;
            }
            var moduleVariables = test.Module is { } wasm ? ModuleVariables.Read(wasm) : null;
            result.Timings.Build += stopwatch.Elapsed;
            foreach (var debugger in options.Debuggers)
            {
                var name = DebuggerSession.Name(debugger);
                stopwatch.Restart();
                var left = DebuggerSession.Run(debugger, reference, program, settings, directory, name + ".reference");
                result.Timings.Reference += stopwatch.Elapsed;
                stopwatch.Restart();
                var right = DebuggerSession.Run(debugger, test, program, settings, directory, name + ".test");
                result.Timings.Test += stopwatch.Elapsed;
                stopwatch.Restart();
                var comparison = new StepComparer(program, engine.Name, name, level, moduleVariables).Compare(left, right);
                result.Timings.Compare += stopwatch.Elapsed;
                result.Comparisons.Add((new GroupKey(engine.Name, name, level), comparison));
                if (comparison.Divergences.Count > 0 && options.KeepDirectory is not null)
                    Keep(options.KeepDirectory, program, engine, name, level, directory, reference, test);
            }
        }
        return result;
    }

    private static ProgramComparison BuildFailure(TestProgram program, IDebugEngine engine, DebuggerKind debugger, int level, string message)
    {
        var metrics = new Metrics { Programs = 1, DivergentPrograms = 1, FailedSessions = 1 };
        return new ProgramComparison(metrics,
            [new Divergence(program.Name, engine.Name, DebuggerSession.Name(debugger), level, DivergenceKind.TimeoutOrCrash, 0, 1, null, "", "build failed: " + message, 0, "")]);
    }

    /// <summary>Copies the source, both sides' builds and the debugger's files (transcripts, logs, outputs) into <c>KEEP/PROGRAM/ENGINE-DEBUGGER-On/</c>.</summary>
    private static void Keep(string keepDirectory, TestProgram program, IDebugEngine engine, string debugger, int level,
        string directory, DebugTarget reference, DebugTarget test)
    {
        var destination = Directory.CreateDirectory(Path.Combine(keepDirectory, program.Name, $"{engine.Name}-{debugger}-O{level}")).FullName;
        File.Copy(program.SourcePath, Path.Combine(destination, program.SourceFileName), overwrite: true);
        foreach (var (side, target) in new[] { ("reference", reference), ("test", test) })
        {
            var sideDirectory = Directory.CreateDirectory(Path.Combine(destination, side)).FullName;
            foreach (var file in target.Files)
                File.Copy(file, Path.Combine(sideDirectory, Path.GetFileName(file)), overwrite: true);
            File.WriteAllText(Path.Combine(sideDirectory, "command.txt"), ToolRunner.CommandLine(target.Command[0], target.Command.Skip(1)) + "\n");
        }
        foreach (var file in Directory.EnumerateFiles(directory, debugger + ".*"))
            File.Copy(file, Path.Combine(destination, Path.GetFileName(file)), overwrite: true);
    }

    private sealed class ProgramResult
    {
        public List<(GroupKey Group, ProgramComparison Comparison)> Comparisons { get; } = [];

        public Timings Timings { get; } = new();

        public string Summary => string.Join("; ", Comparisons.Select(c =>
            $"{c.Group} {c.Comparison.Metrics.Steps} steps, {c.Comparison.Divergences.Count} divergences"));
    }
}

/// <summary>Where a run's time went (summed over programs; with several jobs, more than the wall-clock time).</summary>
public sealed class Timings
{
    public TimeSpan Build { get; set; }

    public TimeSpan Reference { get; set; }

    public TimeSpan Test { get; set; }

    public TimeSpan Compare { get; set; }

    /// <summary>Wall-clock time of the whole run.</summary>
    public TimeSpan Total { get; set; }

    public void Add(Timings other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Build += other.Build;
        Reference += other.Reference;
        Test += other.Test;
        Compare += other.Compare;
    }
}

/// <summary>An engine × debugger × level.</summary>
public readonly record struct GroupKey(string Engine, string Debugger, int Optimization)
{
    public override string ToString() => $"{Engine} {Debugger} -O{Optimization}";
}
