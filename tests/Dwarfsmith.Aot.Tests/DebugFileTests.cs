using Dwarfsmith.Elf;
using Dwarfsmith.TestSupport;
using Dwarfsmith.Wasm;
using Xunit;

namespace Dwarfsmith.Aot.Tests;

/// <summary>
/// <c>aot -g --debug-file F</c>: the executable carries no DWARF but a debuglink to F, runs as the
/// build without it, and gdb, given only the executable, debugs the program at the source level
/// through F beside it.
/// </summary>
public sealed class DebugFileTests
{
    [SkippableFact]
    public void The_stripped_executable_runs_and_gdb_finds_its_debug_file()
    {
        var program = Corpus.Get("pointers");
        var wasm = program.BuildWasm(OptLevel.O0).Path;
        var directory = RepoPaths.NewScratchDirectory("debug-file");
        try
        {
            var executable = Path.Combine(directory, "pointers");
            AotCompiler.Compile(WasmModule.ReadFile(wasm), Path.GetFileName(wasm), executable, new AotOptions
            {
                OptimizationLevel = 0,
                DebugInfo = true,
                DebugFile = Path.Combine(directory, "pointers.debug"),
                RuntimeCacheDirectory = RepoPaths.CacheDirectory("aot-runtime"),
            });

            var elf = ElfFile.Read(File.ReadAllBytes(executable));
            Assert.DoesNotContain(elf.Sections, s => s.Name.StartsWith(".debug_", StringComparison.Ordinal));
            Assert.NotNull(elf.FindSection(".gnu_debuglink"));
            var debug = ElfFile.Read(File.ReadAllBytes(Path.Combine(directory, "pointers.debug")));
            Assert.NotNull(debug.FindSection(".debug_info"));
            Assert.Equal(program.RunWasm(wasm).StandardOutput, AotHarness.RunCorpus(program, executable).StandardOutput);

            HostCapabilities.Ptrace.SkipUnlessAvailable();
            var stops = GdbStops.Run([executable, "--"], [$"pointers.c:{program.BreakLine("push")}"], "pointers.c", steps: []);
            Assert.NotEmpty(stops);
            Assert.Contains("\"function\": \"push\"", stops[0], StringComparison.Ordinal);
            Assert.Contains("\"value\": \"1\"", stops[0], StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
