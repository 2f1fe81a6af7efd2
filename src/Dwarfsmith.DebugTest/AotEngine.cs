using Dwarfsmith.Aot;
using Dwarfsmith.Aot.NativeDwarf;
using Dwarfsmith.Wasm;

namespace Dwarfsmith.DebugTest;

/// <summary>
/// Dwarfsmith's own engine, <c>dwarfsmith aot -g</c>: the program compiled for wasm32-wasi at the run's -O (as
/// for Wasmtime), then AOT-compiled with debug information, so that the executable's DWARF is the module's
/// translated (NativeDwarf). It runs as <c>EXE --</c> (the runtime's own options come before <c>--</c>). lldb
/// reads it through Dwarfsmith's extension (<see cref="LldbExtension"/>: wasm32's 4-byte pointers), which
/// the target asks lldb to import; gdb needs nothing.
/// </summary>
public sealed class AotEngine : IDebugEngine
{
    /// <summary>
    /// The generated C is compiled at -O0 whatever the program's -O: the run's -O is the wasm producer's, and
    /// what is under test is how the module's DWARF survives into the executable. At C -O0 every wasm
    /// instruction is a steppable statement and every wasm local lives in the frame, as Cranelift's
    /// unoptimized code keeps them for the wasmtime engine, so the two engines are compared on equal terms;
    /// an optimizing C compiler would add its own moved lines and optimized-out values on top of the
    /// producer's, measuring clang's -O2 debug information rather than the translation.
    /// </summary>
    public const int COptimizationLevel = 0;

    public string Name => "aot";

    public DebugTarget Prepare(TestProgram program, int optimization, Builds builds, string workDirectory)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(builds);
        var wasm = builds.Build(program, program.SourcePath, BuildTarget.Wasm32Wasi, optimization, []);
        string executable;
        try
        {
            executable = AotCompiler.CompileCached(WasmModule.ReadFile(wasm), Path.GetFileName(wasm),
                new AotOptions { OptimizationLevel = COptimizationLevel, DebugInfo = true }, Path.Combine(builds.CacheDirectory, "aot"));
        }
        catch (AotException e)
        {
            // A build failure of one program is reported as that program's divergence, not as the run's end.
            throw new DebugTestException($"aot -g failed on {wasm}: {e.Message}");
        }
        // In the cache, not a shared /tmp: lldb runs what it imports.
        var extension = LldbExtension.Install(Path.Combine(builds.CacheDirectory, "lldb"));
        return new DebugTarget([executable, "--"], Jit: false, [wasm, executable])
        {
            LldbInitCommands = [$"command script import {LldbQuoted(extension)}"],
            Module = wasm,
        };
    }

    /// <summary>A path as one lldb command argument.</summary>
    private static string LldbQuoted(string path) =>
        "\"" + path.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
