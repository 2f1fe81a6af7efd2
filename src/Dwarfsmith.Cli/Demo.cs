using Dwarfsmith.Aot;
using Dwarfsmith.Cli.Commands;
using Dwarfsmith.Wasm;
using Dwarfsmith.Wasm.Validation;

namespace Dwarfsmith.Cli;

/// <summary>
/// The built-in demo: the sample module (corpus/sample.c built for wasm32-wasi with DWARF, embedded
/// in the CLI so the demo needs no toolchain) is read, described and validated, compacted and split
/// (<see cref="PostLinkDemo"/>), then compiled ahead of time and run when a C compiler is present,
/// and debugged at the source level in gdb (a debug build, <c>aot -g</c>) when gdb is present.
/// Later features add their step here.
/// </summary>
internal static class Demo
{
    public const string SampleName = "sample.wasm";

    public static byte[] LoadSample() => LoadResource(SampleName);

    private static byte[] LoadResource(string name)
    {
        using var stream = typeof(Demo).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"the built-in {name} is missing from the build");
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    public static int Run(CliConsole console)
    {
        var bytes = LoadSample();
        var module = WasmModule.Read(bytes);
        console.Out.WriteLine("== Reading the built-in sample module ==");
        ModuleInfoPrinter.WriteText(console.Out, $"{SampleName} (built-in)", module);
        console.Out.WriteLine();
        console.Out.WriteLine("== Validating it ==");
        var result = ModuleValidator.Validate(module);
        console.Out.WriteLine($"valid: {result.FunctionCount} functions, {result.InstructionCount} instructions type-checked");
        console.Out.WriteLine();
        console.Out.WriteLine("== Compacting it (padded LEBs at minimal width, DWARF remapped) and splitting its debug information ==");
        if (PostLinkDemo.Run(console, module) != ExitCodes.Ok)
            return ExitCodes.FailureFound;
        console.Out.WriteLine();
        console.Out.WriteLine("== Compiling it ahead of time (wasm → C → native) and running it ==");
        var options = new AotOptions { OptimizationLevel = 2, Compiler = "clang-22" };
        try
        {
            options = options with { Compiler = AotCompiler.ResolveCompiler(options.Compiler) };
        }
        catch (AotException)
        {
            try
            {
                options = options with { Compiler = AotCompiler.ResolveCompiler("gcc") };
            }
            catch (AotException)
            {
                console.Out.WriteLine("skipped: neither clang-22 nor gcc is installed");
                return ExitCodes.Ok;
            }
        }
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        var executable = AotCompiler.CompileCached(module, SampleName, options, RunCommand.CacheDirectory());
        console.Out.WriteLine($"native executable: {executable} ({options.Compiler} -O2, {stopwatch.ElapsedMilliseconds} ms with the cache)");
        var exitCode = RunCommand.Execute(console, executable, ["--"], forceCapture: true);
        console.Out.WriteLine($"exit code: {exitCode}");
        if (exitCode != 0)
            return ExitCodes.FailureFound;
        console.Out.WriteLine();
        console.Out.WriteLine("== Debugging it in gdb at the level of its C source (a debug build: aot -O0 -g) ==");
        return DebugInGdb(console, module, options with { OptimizationLevel = 0, DebugInfo = true });
    }

    /// <summary>The commands of the scripted session: a breakpoint by function, the backtrace, values, stepping.</summary>
    private static readonly string[] GdbSession =
    [
        "break length", "run", "backtrace", "info args", "print *p", "print p->y", "print scale", "print call_count",
        "next", "next", "info locals", "finish", "print points", "print points[1].x * 2", "continue",
    ];

    private static int DebugInGdb(CliConsole console, WasmModule module, AotOptions options)
    {
        var gdb = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, "gdb")).FirstOrDefault(File.Exists);
        if (gdb is null)
        {
            console.Out.WriteLine("skipped: gdb is not installed");
            return ExitCodes.Ok;
        }

        var executable = AotCompiler.CompileCached(module, SampleName, options, RunCommand.CacheDirectory());
        // The sample's DWARF names its source /sample/sample.c (scripts/build-sample.sh): gdb finds it beside the executable.
        var source = Path.Combine(Path.GetDirectoryName(executable)!, "sample.c");
        File.WriteAllBytes(source, LoadResource("sample.c"));
        // No older than the executable, or gdb warns that the source is more recent than it.
        File.SetLastWriteTimeUtc(source, File.GetLastWriteTimeUtc(executable).AddSeconds(-1));
        List<string> arguments = ["-nx", "-batch", "-ex", "set pagination off", "-ex", $"set substitute-path /sample {Path.GetDirectoryName(source)}"];
        foreach (var command in GdbSession)
            arguments.AddRange(["-ex", command]);
        arguments.AddRange(["--args", executable, "--"]);
        console.Out.WriteLine($"$ gdb {executable}   (then: {string.Join("; ", GdbSession)})");
        var start = new System.Diagnostics.ProcessStartInfo(gdb) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = System.Diagnostics.Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        int code = process.ExitCode;
        foreach (var line in (output + errors.Result).Split('\n'))
        {
            // gdb's thread chatter says nothing about the program.
            if (!line.StartsWith('[') && !line.StartsWith("Using host libthread_db", StringComparison.Ordinal))
                console.Out.WriteLine(line);
        }

        // A machine may forbid tracing (no ptrace in a container): gdb then says so above, and the
        // demo's other steps still stand.
        if (code != 0)
            console.Out.WriteLine($"gdb exited with {code}");
        return ExitCodes.Ok;
    }
}
