using Dwarfsmith.TestSupport;
using Dwarfsmith.Wasm;
using Xunit;

namespace Dwarfsmith.Aot.Tests;

/// <summary>
/// The DWARF of <c>aot -g</c> executables under <c>llvm-dwarfdump --verify</c>: no kind of error
/// occurs more often than in the module's own DWARF (every corpus program at -O0, DWARF 4 and 5).
/// </summary>
public sealed class DebugInfoVerifyTests
{
    public static TheoryData<string, int> Programs => DebugInfoGdbTests.Programs;

    [Theory]
    [MemberData(nameof(Programs))]
    public void The_executable_has_no_verify_error_the_module_lacks(string name, int dwarfVersion)
    {
        var wasm = Corpus.Get(name).BuildWasm(OptLevel.O0, dwarfVersion).Path;
        var executable = AotCompiler.CompileCached(WasmModule.ReadFile(wasm), Path.GetFileName(wasm),
            new AotOptions { OptimizationLevel = 0, DebugInfo = true }, RepoPaths.CacheDirectory("aot"));
        VerifyErrorCounts.AssertNoKindGrows(wasm, executable);
    }
}
