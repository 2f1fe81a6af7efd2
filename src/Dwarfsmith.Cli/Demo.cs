using Dwarfsmith.Wasm;
using Dwarfsmith.Wasm.Validation;

namespace Dwarfsmith.Cli;

/// <summary>
/// The built-in demo: the sample module (corpus/sample.c built for wasm32-wasi with DWARF, embedded
/// in the CLI so the demo needs no toolchain) is read, described and validated. Later features add their step here.
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
        return ExitCodes.Ok;
    }
}
