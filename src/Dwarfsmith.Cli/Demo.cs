using Dwarfsmith.Aot;
using Dwarfsmith.Cli.Commands;
using Dwarfsmith.Wasm;
using Dwarfsmith.Wasm.Validation;

namespace Dwarfsmith.Cli;

/// <summary>
/// The built-in demo: the sample module (corpus/sample.c built for wasm32-wasi with DWARF, embedded
/// in the CLI so the demo needs no toolchain) is read, described and validated, compacted and split
/// (<see cref="PostLinkDemo"/>), then compiled ahead of time and run when a C compiler is present.
/// Later features add their step here.
/// </summary>
internal static class Demo
{
    public const string SampleName = "sample.wasm";

    public static byte[] LoadSample()
    {
        using var stream = typeof(Demo).Assembly.GetManifestResourceStream(SampleName)
            ?? throw new InvalidOperationException("the built-in sample is missing from the build");
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
        return exitCode == 0 ? ExitCodes.Ok : ExitCodes.FailureFound;
    }
}
