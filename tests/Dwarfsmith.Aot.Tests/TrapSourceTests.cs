using Dwarfsmith.TestSupport;
using Xunit;

namespace Dwarfsmith.Aot.Tests;

/// <summary>
/// A trap in a module with DWARF names the source file and line of the trapping instruction
/// (Programs/trap_source.c, built with -g; the expected line is found by the /* TRAP: kind */ label).
/// </summary>
public sealed class TrapSourceTests
{
    private static readonly string Source = Path.Combine(RepoPaths.Root, "tests", "Dwarfsmith.Aot.Tests", "Programs", "trap_source.c");

    public static TheoryData<string, string, int> Traps => new()
    {
        { "divide", "integer divide by zero", 0 },
        { "divide", "integer divide by zero", 2 },
        { "load", "out of bounds memory access", 0 },
        { "load", "out of bounds memory access", 2 },
        { "unreachable", "unreachable", 0 },
        { "unreachable", "unreachable", 2 },
    };

    [Theory]
    [MemberData(nameof(Traps))]
    public void Trap_message_names_the_source_line(string kind, string message, int level)
    {
        var wasm = CCompiler.Compile(Source, CompileOptions.Wasm(OptLevel.O0)).Path;
        var run = AotHarness.Run(AotHarness.Compile(wasm, level), [kind]);
        Assert.True(run.ExitCode == 134, $"exit {run.ExitCode}\n{run.StandardError}");
        Assert.Contains($"wasm trap: {message}\n", run.StandardError, StringComparison.Ordinal);
        Assert.Contains($"trap_source.c:{LabelLine(kind)}\n", run.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void Module_without_DWARF_traps_without_a_source_line()
    {
        var wasm = AotHarness.Wat("no_dwarf_trap", """(module (func $_start (export "_start") unreachable))""");
        var run = AotHarness.Run(AotHarness.Compile(wasm, 2), []);
        Assert.Equal(134, run.ExitCode);
        Assert.Equal("wasm trap: unreachable\n    at _start (code offset 0x", run.StandardError[..Math.Min(run.StandardError.Length, 52)]);
        Assert.DoesNotContain(".c:", run.StandardError, StringComparison.Ordinal);
    }

    /// <summary>
    /// Under gdb, the out-of-bounds load of an <c>aot -g</c> build stops where the native build of
    /// the same C stops: SIGSEGV in the same functions at the same lines; continued, the signal
    /// becomes the trap (its message, status 134) as it does without gdb.
    /// </summary>
    [SkippableFact]
    public void Under_gdb_a_guard_page_trap_stops_at_the_faulting_line_as_natively()
    {
        HostCapabilities.Ptrace.SkipUnlessAvailable();
        var wasm = CCompiler.Compile(Source, CompileOptions.Wasm(OptLevel.O0)).Path;
        var executable = AotCompiler.CompileCached(Dwarfsmith.Wasm.WasmModule.ReadFile(wasm), Path.GetFileName(wasm),
            new AotOptions { OptimizationLevel = 0, DebugInfo = true }, RepoPaths.CacheDirectory("aot"));
        var native = CCompiler.Compile(Source, CompileOptions.Host(OptLevel.O0)).Path;

        string[] commands = ["-ex", "run", "-ex", "bt", "-ex", "continue"];
        var nativeRun = ProcessRunner.Run(Toolchain.Gdb, ["-batch", "-nx", .. commands, "--args", native, "load"]);
        var aotRun = ProcessRunner.Run(Toolchain.Gdb, ["-batch", "-nx", .. commands, "--args", executable, "--", "load"]);

        var nativeFrames = Frames(nativeRun.StandardOutput);
        int call = Array.FindIndex(File.ReadAllLines(Source), l => l.Contains("load_far((", StringComparison.Ordinal)) + 1;
        Assert.Equal(["load_far trap_source.c:" + LabelLine("load"), "main trap_source.c:" + call], nativeFrames);
        Assert.Contains("Program received signal SIGSEGV", aotRun.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(nativeFrames, Frames(aotRun.StandardOutput));
        Assert.Contains("wasm trap: out of bounds memory access", aotRun.StandardError, StringComparison.Ordinal);
        Assert.Contains("exited with code 0206", aotRun.StandardOutput, StringComparison.Ordinal); // 134
    }

    /// <summary>The backtrace's frames in gdb's output, as "function file:line".</summary>
    private static List<string> Frames(string gdbOutput) =>
        System.Text.RegularExpressions.Regex.Matches(gdbOutput, @"(?m)^#\d+ +(?:0x[0-9a-f]+ in )?(\w+) \(.*\) at .*/([^/]+:\d+)$")
            .Select(m => $"{m.Groups[1].Value} {m.Groups[2].Value}").ToList();

    private static int LabelLine(string kind)
    {
        var lines = File.ReadAllLines(Source);
        var index = Array.FindIndex(lines, l => l.Contains($"/* TRAP: {kind} */", StringComparison.Ordinal));
        Assert.True(index >= 0, $"no TRAP label {kind}");
        return index + 1;
    }
}
