using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace Dwarfsmith.Aot.SpecTests;

/// <summary>How <see cref="SpecTestRunner"/> builds harness programs.</summary>
public sealed record SpecRunOptions
{
    public string Compiler { get; init; } = "clang-22";

    /// <summary>C optimization level of the harness (0 compiles fastest; the semantics do not depend on it).</summary>
    public int OptimizationLevel { get; init; }

    /// <summary>Where wast2json conversions and harness executables are cached.</summary>
    public required string CacheDirectory { get; init; }

    /// <summary>How loads and stores stay inside linear memory (guard pages, as executables do by default).</summary>
    public BoundsChecks BoundsChecks { get; init; } = BoundsChecks.GuardPages;

    /// <summary>How long one harness program may run.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(2);
}

/// <summary>
/// Runs the commands of a .wast script against the AOT engine: wast2json converts it, every module
/// it instantiates is translated to C (each with its own <see cref="ModuleLinkage"/>), and one C
/// compiler run builds them with a generated driver and Runtime/spectest.c into one program, which
/// runs the commands in order and reports each. The program is cached by its sources.
/// </summary>
public static class SpecTestRunner
{
    private static readonly string[] RuntimeSources = ["wasm_rt.c", "wasm_guard.c", "wasm_code_map.c", "wasm_self_elf.c", "spectest.c"];

    /// <summary>Runs several scripts, <paramref name="parallelism"/> at a time; results in the order given.</summary>
    public static IReadOnlyList<SpecFileResult> RunFiles(IReadOnlyList<string> wastPaths, SpecRunOptions options, int parallelism)
    {
        var results = new SpecFileResult[wastPaths.Count];
        Parallel.For(0, wastPaths.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism) },
            i => results[i] = RunFile(wastPaths[i], options));
        return results;
    }

    public static SpecFileResult RunFile(string wastPath, SpecRunOptions options)
    {
        var name = Path.GetFileNameWithoutExtension(wastPath);
        var json = Wast2Json.Convert(wastPath, Path.Combine(options.CacheDirectory, "wast2json"), out var conversionError);
        if (json is null)
            return new SpecFileResult(name, conversionError, []);
        var commands = SpecCommand.ReadAll(json);
        var harness = SpecHarness.Plan(commands, Path.GetDirectoryName(json)!);
        var results = harness.Decided.ToArray();
        if (harness.DriverCommands.Count > 0)
        {
            var reports = RunProgram(harness, options, out var programFailure);
            for (var i = 0; i < harness.DriverCommands.Count; i++)
            {
                var index = harness.DriverCommands[i];
                var command = commands[index];
                results[index] = reports.TryGetValue(i, out var failure)
                    ? new SpecCommandResult(command.Line, command.Type, failure is null ? SpecOutcome.Passed : SpecOutcome.Failed, failure)
                    : new SpecCommandResult(command.Line, command.Type, SpecOutcome.Failed, programFailure);
            }
        }
        return new SpecFileResult(name, null, results!);
    }

    /// <summary>Per driver command index: null when it passed, else why not. Commands without a report did not run.</summary>
    private static Dictionary<int, string?> RunProgram(SpecHarness harness, SpecRunOptions options, out string programFailure)
    {
        var reports = new Dictionary<int, string?>();
        string executable;
        try
        {
            executable = Build(harness, options);
        }
        catch (AotException ex)
        {
            programFailure = ex.Message;
            return reports;
        }
        var start = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(start) ?? throw new AotException($"cannot start {executable}");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var finished = process.WaitForExit(options.Timeout);
        if (!finished)
            process.Kill(entireProcessTree: true);
        process.WaitForExit();
        foreach (var line in stdout.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (space > 0 && int.TryParse(line.AsSpan(0, space), out var index))
                reports[index] = line[(space + 1)..] == "ok" ? null : line[(space + 1)..].Replace("FAIL ", "", StringComparison.Ordinal);
        }
        var tail = stderr.Result.Trim();
        tail = tail.Length > 300 ? "…" + tail[^300..] : tail;
        programFailure = finished
            ? $"the harness ended (exit {process.ExitCode}) before this command{(tail.Length > 0 ? ": " + tail : "")}"
            : $"the harness timed out after {options.Timeout.TotalSeconds:0} s before this command";
        return reports;
    }

    /// <summary>The harness executable for the planned program, compiled on a cache miss.</summary>
    private static string Build(SpecHarness harness, SpecRunOptions options)
    {
        var compiler = AotCompiler.ResolveCompiler(options.Compiler);
        var driver = harness.Driver.Source();
        var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string text) => hash.AppendData(Encoding.UTF8.GetBytes(text + "\0"));
        Add($"{compiler}|{AotCompiler.CompilerVersion(compiler)}|{string.Join(' ', HarnessFlags(compiler, options))}");
        foreach (var (fileName, text) in EmbeddedRuntime.Files)
            Add(fileName + text);
        foreach (var (fileName, source) in harness.Modules)
            Add(fileName + source);
        Add(driver);
        var key = Convert.ToHexStringLower(hash.GetHashAndReset())[..24];
        var executable = Path.Combine(options.CacheDirectory, "harness", key, "harness");
        if (File.Exists(executable))
            return executable;

        AotCompiler.BuildExecutable(executable, (work, temporary) =>
        {
            var flags = HarnessFlags(compiler, options);
            var runtime = RuntimeObjects.Get(compiler, flags, RuntimeSources, Path.Combine(options.CacheDirectory, "runtime"));
            var sources = new List<string>();
            foreach (var (fileName, text) in EmbeddedRuntime.Files)
                File.WriteAllText(Path.Combine(work, fileName), text);
            foreach (var (fileName, source) in harness.Modules.Append(("driver.c", driver)))
            {
                File.WriteAllText(Path.Combine(work, fileName), source);
                sources.Add(Path.Combine(work, fileName));
            }
            AotCompiler.CheckCompiler(compiler, AotCompiler.Run(compiler, [.. flags, "-I", work, .. sources, .. runtime, "-o", temporary, "-lm", "-lpthread"]));
        });
        return executable;
    }

    /// <summary>
    /// The harness needs no code offset table: it only compares the trap's kind, so a fault found by a
    /// guard page is reported at an unknown offset.
    /// </summary>
    private static List<string> HarnessFlags(string compiler, SpecRunOptions options)
    {
        var flags = AotCompiler.CommonFlags(compiler, options.OptimizationLevel);
        flags.Add("-DWASM_NO_MAIN");
        if (options.BoundsChecks == BoundsChecks.Explicit)
            flags.Add("-DWASM_EXPLICIT_BOUNDS_CHECKS");
        return flags;
    }
}
