using System.CommandLine;
using System.Diagnostics;
using Dwarfsmith.Aot;

namespace Dwarfsmith.Cli.Commands;

/// <summary>
/// <c>dwarfsmith run MODULE [--dir HOST[::GUEST]]… [--env K=V]… [--coredump-on-trap FILE] [-- ARGS…]</c>: compiles through a
/// cache (keyed by module bytes, options and compiler) and runs; the exit code is the program's.
/// </summary>
public static class RunCommand
{
    public static Command Create(CliConsole console)
    {
        var module = new Argument<string>("module") { Description = "The .wasm file (a WASI command module)" };
        var arguments = new Argument<string[]>("args") { Description = "Arguments for the program (after --)", Arity = ArgumentArity.ZeroOrMore };
        var dirs = new Option<string[]>("--dir") { Description = "Preopen a host directory, as HOST or HOST::GUEST", AllowMultipleArgumentsPerToken = false };
        var envs = new Option<string[]>("--env") { Description = "Set an environment variable NAME=VALUE for the program" };
        var levels = OptimizationOptions.Create();
        var cc = OptimizationOptions.CompilerOption();
        var boundsChecks = OptimizationOptions.BoundsChecksOption();
        var debug = OptimizationOptions.DebugOption();
        var coreDump = new Option<string?>("--coredump-on-trap") { Description = "Write a wasm core dump to this file if the program traps" };
        var command = new Command("run", "Compile a WebAssembly module ahead of time (cached) and run it") { module, arguments, dirs, envs, cc, boundsChecks, debug, coreDump };
        foreach (var level in levels)
            command.Options.Add(level);
        command.SetAction(parse => console.Guard(() =>
        {
            var path = parse.GetValue(module)!;
            var options = new AotOptions
            {
                OptimizationLevel = OptimizationOptions.Level(parse, levels),
                Compiler = parse.GetValue(cc)!,
                BoundsChecks = OptimizationOptions.BoundsChecks(parse, boundsChecks),
                DebugInfo = parse.GetValue(debug),
                CoreDumpOnTrap = parse.GetValue(coreDump) is not null,
            };
            foreach (var env in parse.GetValue(envs) ?? [])
            {
                if (!env.Contains('=', StringComparison.Ordinal))
                    throw new UsageException($"--env {env}: expected NAME=VALUE");
            }
            var wasm = CliConsole.ReadModule(path);
            return OptimizationOptions.GuardAot(console, path, () =>
            {
                var executable = CliConsole.WithPath(path, () => AotCompiler.CompileCached(wasm, Path.GetFileName(path), options, CacheDirectory()));
                var runtimeArguments = new List<string>();
                foreach (var dir in parse.GetValue(dirs) ?? [])
                    runtimeArguments.AddRange(["--dir", dir]);
                foreach (var env in parse.GetValue(envs) ?? [])
                    runtimeArguments.AddRange(["--env", env]);
                if (parse.GetValue(coreDump) is { } dumpPath)
                    runtimeArguments.AddRange(["--coredump-on-trap", Path.GetFullPath(dumpPath)]);
                runtimeArguments.Add("--");
                runtimeArguments.AddRange(parse.GetValue(arguments) ?? []);
                return Execute(console, executable, runtimeArguments);
            });
        }));
        return command;
    }

    /// <summary>$XDG_CACHE_HOME/dwarfsmith/aot, else ~/.cache/dwarfsmith/aot, else .cache/aot.</summary>
    public static string CacheDirectory()
    {
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (!string.IsNullOrEmpty(xdg))
            return Path.Combine(xdg, "dwarfsmith", "aot");
        var home = Environment.GetEnvironmentVariable("HOME");
        return !string.IsNullOrEmpty(home) ? Path.Combine(home, ".cache", "dwarfsmith", "aot") : Path.Combine(".cache", "aot");
    }

    internal static int Execute(CliConsole console, string executable, List<string> arguments, bool forceCapture = false)
    {
        // The program talks to the terminal directly when the CLI does; in-process callers get its output through their writers.
        var inherit = !forceCapture && ReferenceEquals(console.Out, Console.Out);
        var start = new ProcessStartInfo(executable)
        {
            UseShellExecute = false,
            RedirectStandardOutput = !inherit,
            RedirectStandardError = !inherit,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new IOException($"cannot start {executable}");
        if (!inherit)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            console.Out.Write(stdout.Result);
            console.Error.Write(stderr.Result);
        }
        else
        {
            process.WaitForExit();
        }
        return process.ExitCode;
    }
}
