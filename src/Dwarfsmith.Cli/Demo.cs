using Dwarfsmith.Wasm;

namespace Dwarfsmith.Cli;

/// <summary>
/// The built-in demo: the sample module (corpus/sample.c built for wasm32-wasi with DWARF, embedded
/// in the CLI so the demo needs no toolchain) is read and described. Later features add their step here.
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
        return ExitCodes.Ok;
    }
}
