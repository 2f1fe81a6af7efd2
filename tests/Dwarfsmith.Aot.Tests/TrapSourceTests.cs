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

    private static int LabelLine(string kind)
    {
        var lines = File.ReadAllLines(Source);
        var index = Array.FindIndex(lines, l => l.Contains($"/* TRAP: {kind} */", StringComparison.Ordinal));
        Assert.True(index >= 0, $"no TRAP label {kind}");
        return index + 1;
    }
}
