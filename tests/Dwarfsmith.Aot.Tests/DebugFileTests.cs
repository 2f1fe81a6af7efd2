using Dwarfsmith.Elf;
using Dwarfsmith.TestSupport;
using Dwarfsmith.Wasm;
using Xunit;

namespace Dwarfsmith.Aot.Tests;

/// <summary>
/// <c>aot -g --debug-file F</c>: the executable carries no DWARF but a debuglink to F, runs as the
/// build without it, and gdb, given only the executable, debugs the program at the source level
/// through F beside it; lldb-22 finds F beside it (debuglink) and, moved away, by the build-id.
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

            // lldb-22: by the debuglink (the file beside the executable), then by the build-id alone
            // (the file moved into a .build-id tree that lldb is told to search, as /usr/lib/debug is).
            int line = program.BreakLine("push");
            Assert.Matches($@"frame #0: 0x[0-9a-f]+ pointers`push\(.*\) at pointers\.c:{line}:", LldbBacktrace(executable, line, []));
            Assert.True(NativeDebugFiles.TryReadBuildId(executable, out var buildId));
            var byBuildId = Path.Combine(directory, "debug", NativeDebugFiles.BuildIdDebugPath(buildId));
            Directory.CreateDirectory(Path.GetDirectoryName(byBuildId)!);
            File.Move(Path.Combine(directory, "pointers.debug"), byBuildId);
            Assert.DoesNotMatch("at pointers\\.c:", LldbBacktrace(executable, line, []));
            Assert.Matches($@"frame #0: 0x[0-9a-f]+ pointers`push\(.*\) at pointers\.c:{line}:",
                LldbBacktrace(executable, line, ["-O", $"settings set target.debug-file-search-paths {Path.Combine(directory, "debug")}"]));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>lldb-22's backtrace at the first stop of a breakpoint on pointers.c's <paramref name="line"/>.</summary>
    private static string LldbBacktrace(string executable, int line, IReadOnlyList<string> before) =>
        ProcessRunner.Run(Toolchain.Lldb, ["-b", .. before, "-o", $"breakpoint set -f pointers.c -l {line}", "-o", "run", "-o", "bt 1", executable, "--"],
            new ProcessOptions { Timeout = TimeSpan.FromMinutes(1) }).StandardOutput;
}
