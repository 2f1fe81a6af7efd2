using Xunit;

namespace Dwarfsmith.DebugTest.Tests;

/// <summary>
/// The wasmtime engine runs end to end in both debuggers through the GDB JIT interface, and what its DWARF
/// translation does differently is reported as what it is (these are findings about Wasmtime, not about the
/// harness: if Wasmtime fixes one, the assertion here changes).
/// </summary>
public sealed class WasmtimeEngineTests
{
    [DebuggerFact]
    public void Wasmtime_is_stepped_in_both_debuggers_and_its_differences_are_classified()
    {
        var report = Harness.Run(Harness.Options([1], engine: "wasmtime") with { Steps = 20 });
        foreach (var debugger in new[] { "gdb", "lldb" })
        {
            var metrics = report.Groups[new GroupKey("wasmtime", debugger, 0)];
            Assert.Equal(0, metrics.FailedSessions);
            Assert.Equal(20, metrics.Steps);
            var divergences = report.Divergences.Where(d => d.Debugger == debugger).ToList();
            // main is __main_argc_argv: the line agrees, the function's name does not.
            var first = divergences.First(d => d.Kind == DivergenceKind.Location);
            Assert.StartsWith("main seed1.c:", first.Reference, StringComparison.Ordinal);
            Assert.StartsWith("__main_argc_argv seed1.c:", first.Test, StringComparison.Ordinal);
            Assert.Equal(first.Reference["main".Length..], first.Test["__main_argc_argv".Length..]);
            // Every frame shows Wasmtime's __vmctx; the program's globals are not visible.
            Assert.Contains(divergences, d => d.Kind == DivergenceKind.ExtraVariable && d.Variable == "__vmctx");
            Assert.Contains(divergences, d => d.Kind == DivergenceKind.MissingVariable && d.Variable!.StartsWith("::g_", StringComparison.Ordinal));
        }
    }
}
