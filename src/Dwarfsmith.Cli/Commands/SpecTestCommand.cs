using System.CommandLine;
using Dwarfsmith.Aot;
using Dwarfsmith.Aot.SpecTests;

namespace Dwarfsmith.Cli.Commands;

/// <summary>
/// <c>dwarfsmith spectest FILE.wast|DIR [-O0|-O1|-O2|-O3] [--cc C] [--jobs N] [--failures N]</c>: runs spec-test
/// scripts against the AOT engine and prints passed/failed/skipped per file and in total; exit 1
/// when a command failed.
/// </summary>
public static class SpecTestCommand
{
    public static Command Create(CliConsole console)
    {
        var input = new Argument<string>("path") { Description = "A .wast script, or a directory of them" };
        var levels = OptimizationOptions.Create();
        var cc = OptimizationOptions.CompilerOption();
        var jobs = new Option<int>("--jobs", "-j") { Description = "Scripts run in parallel (default: the processor count)", DefaultValueFactory = _ => Environment.ProcessorCount };
        var failures = new Option<int>("--failures") { Description = "Failed commands listed per file (default 10)", DefaultValueFactory = _ => 10 };
        var command = new Command("spectest", "Run WebAssembly spec-test scripts (.wast, converted by wast2json) against the AOT engine") { input, cc, jobs, failures };
        foreach (var level in levels)
            command.Options.Add(level);
        command.SetAction(parse => console.Guard(() =>
        {
            var path = parse.GetValue(input)!;
            List<string> scripts;
            if (Directory.Exists(path))
                scripts = [.. Directory.EnumerateFiles(path, "*.wast").Order(StringComparer.Ordinal)];
            else if (File.Exists(path))
                scripts = [path];
            else
                throw new MissingInputException($"{path}: no such file or directory");
            // The harness is compiled at -O0 unless asked otherwise: the commands are short, the C is long.
            var level = levels.Any(l => parse.GetValue(l)) ? OptimizationOptions.Level(parse, levels) : 0;
            var options = new SpecRunOptions
            {
                Compiler = parse.GetValue(cc)!,
                OptimizationLevel = level,
                CacheDirectory = Path.Combine(Path.GetDirectoryName(RunCommand.CacheDirectory())!, "spectest"),
            };
            return OptimizationOptions.GuardAot(console, path, () =>
            {
                var results = SpecTestRunner.RunFiles(scripts, options, parse.GetValue(jobs));
                foreach (var file in results)
                {
                    foreach (var failure in SpecReport.Failures(file, parse.GetValue(failures)))
                        console.Out.WriteLine(failure);
                }
                console.Out.Write(SpecReport.Table(results));
                return results.Any(r => r.Failed > 0) ? ExitCodes.FailureFound : ExitCodes.Ok;
            });
        }));
        return command;
    }
}
