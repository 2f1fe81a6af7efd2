using Dwarfsmith.TestSupport;
using Xunit;

namespace Dwarfsmith.DebugTest.Tests;

/// <summary>
/// Dwarfsmith's own engine (<c>aot -g</c>, C at -O0) against the host build, stepped in gdb and in lldb (with
/// Dwarfsmith's extension for 4-byte pointers). What the default run asserts is measured on seeds 1–5 at -O0,
/// their first 13 stops (seed 3's 14th stop is the first where gdb's sequences part, at a loop body's closing
/// brace that natively is a row of its own and in the module is not: the wasm producer's line table). In gdb
/// every stop agrees. In lldb every value agrees, and what differs is known, each kind asserted so that a fix
/// shows here (the assertion then changes).
/// </summary>
public sealed class AotEngineTests
{
    private const int AgreeingSteps = 13;

    private static readonly IReadOnlyList<long> s_seeds = [1, 2, 3, 4, 5];

    /// <summary>
    /// In gdb, 100 steps of each of the five seeds (a program that ends sooner, to its end) stop where native
    /// stops with every value equal. What differs is what the module itself lacks (clang-22 leaves out of the
    /// wasm DWARF a struct local its function returns by value, seed 2's l_114), classified as such.
    /// </summary>
    [DebuggerFact]
    public void Aot_in_gdb_stops_as_native_does_for_100_steps_of_five_seeds()
    {
        var report = Harness.Run(Harness.Options(s_seeds, engine: "aot") with { Steps = 100, Debuggers = [DebuggerKind.Gdb] });
        var metrics = report.Groups[new GroupKey("aot", "gdb", 0)];
        Assert.Equal(0, metrics.FailedSessions);
        Assert.True(metrics.Steps > 400, $"{metrics.Steps} steps");
        Assert.Equal(metrics.Steps, metrics.LocationMatches);
        Assert.True(metrics.ValuePairs > 1000, $"only {metrics.ValuePairs} values compared");
        Assert.Equal(1.0, metrics.ValuesEqualFraction);
        Assert.All(report.Divergences, d =>
        {
            Assert.Equal(DivergenceKind.MissingInModule, d.Kind);
            var source = File.ReadAllText(Csmith.Generate(long.Parse(d.Program["seed".Length..], System.Globalization.CultureInfo.InvariantCulture),
                Harness.CacheDirectory).SourcePath);
            Assert.True(IsReturnedByValue(d, source), $"{d.Program}: {d.Variable} is missing in the module but not returned by value");
        });
    }

    [DebuggerFact]
    public void Aot_stops_as_native_does_on_the_first_stops_of_five_seeds()
    {
        var report = Harness.Run(Harness.Options(s_seeds, engine: "aot") with { Steps = AgreeingSteps });
        foreach (var debugger in new[] { "gdb", "lldb" })
        {
            var metrics = report.Groups[new GroupKey("aot", debugger, 0)];
            Assert.Equal(0, metrics.FailedSessions);
            Assert.Equal(s_seeds.Count * AgreeingSteps, metrics.Steps);
            Assert.True(metrics.ValuePairs > 100, $"{debugger}: only {metrics.ValuePairs} values compared");
            Assert.Equal(1.0, metrics.ValuesEqualFraction);
        }
        Assert.DoesNotContain(report.Divergences, d => d.Debugger == "gdb");

        var lldb = report.Divergences.Where(d => d.Debugger == "lldb").ToList();
        // lldb has columns: on main's `if (argc == 2 && strcmp(…))`, the native code's first instruction is the
        // comparison's (column 14: the load of argc is folded into it), the module's the load of argc (column 9).
        var columns = lldb.Where(d => d.Step == 2 && IsColumnOnly(d)).ToList();
        Assert.Equal(s_seeds.Count, columns.Count);
        Assert.All(columns, d => Assert.Equal(d.Reference.Replace(":14 depth", ":9 depth", StringComparison.Ordinal), d.Test));
        // Seed 3: stepping out of func_1's end, lldb stops once more on the call's line (50: `func_1();`) in the
        // AOT build, where natively it goes on to the next line (51); from there the sequences are one apart.
        // gdb, which goes on to a line's start after a return into the middle of one, agrees.
        var seed3 = lldb.Where(d => d.Program == "seed3" && d.Step >= 9).ToList();
        Assert.Equal(9, seed3.Min(d => d.Step));
        Assert.All(seed3, d => Assert.Equal(DivergenceKind.Location, d.Kind));
        Assert.Equal("main seed3.c:50:5 depth 1", seed3.MinBy(d => d.Step)!.Test);
        // Seed 4: func_1's local struct l_138 (returned by value, so it lives in the caller's return slot)
        // is among the frame's variables as natively: its translated location (the return-slot pointer, a
        // wasm local, plus the memory's base read through DW_OP_addr of wasm_mem0_base) is written as a
        // location list, since lldb takes a variable whose one-expression location has a DW_OP_addr for a static.
        Assert.DoesNotContain(lldb, d => d.Program == "seed4" && d.Step > 2);
        Assert.Equal(columns.Count + seed3.Count, lldb.Count);
    }

    /// <summary>
    /// Measured on seeds 1–30 at -O0 (not yet on all 100): in gdb every program's first divergence is a location
    /// (its stop sequences part there; until then every variable and value agrees); in lldb too, but for the
    /// struct locals a function returns by value (seed 4's l_138, seed 10's l_48), which lldb does not list
    /// among the frame's variables in the AOT build. -O2 is not asserted: there the two sides differ from
    /// the first stop (seeds 1–5: 8.5% of gdb's stops at the same location, 53.5% of values equal).
    /// </summary>
    [Fact]
    [Trait("Category", "Long")]
    public void Aot_shows_what_native_shows_while_both_stand_at_the_same_line_on_100_seeds()
    {
        if (DebuggerCapability.MissingReason is { } reason)
            throw new TestEnvironmentException(reason);
        var report = Harness.Run(Harness.Options([.. Enumerable.Range(1, 100).Select(s => (long)s)], engine: "aot"));
        File.WriteAllText(Path.Combine(RepoPaths.Reports, "debugtest-aot-100.md"), report.ToText());
        Assert.All(report.Groups.Values, m => Assert.Equal(0, m.FailedSessions));
        foreach (var program in report.Divergences.GroupBy(d => (d.Program, d.Debugger)))
        {
            var source = program.Key.Debugger == "lldb" ? File.ReadAllText(Csmith.Generate(long.Parse(program.Key.Program["seed".Length..],
                System.Globalization.CultureInfo.InvariantCulture), Harness.CacheDirectory).SourcePath) : "";
            var counted = program.Where(d => !IsColumnOnly(d) && !(program.Key.Debugger == "lldb" && IsReturnedByValue(d, source))).ToList();
            if (counted.Count == 0)
                continue;
            var step = counted.Min(d => d.Step);
            var first = counted.Where(d => d.Step == step).ToList();
            Assert.True(first.Any(d => d.Kind == DivergenceKind.Location),
                $"{program.Key}: step {step}: {string.Join("; ", first.Select(d => $"{d.Kind} {d.Variable}: {d.Reference} / {d.Test}"))}");
        }
    }

    /// <summary>A missing or extra variable that the function returns (<c>return NAME;</c>): see the long test.</summary>
    private static bool IsReturnedByValue(Divergence divergence, string source) =>
        divergence.Kind is DivergenceKind.MissingVariable or DivergenceKind.MissingInModule or DivergenceKind.ExtraVariable
        && System.Text.RegularExpressions.Regex.IsMatch(source,
            @"\breturn\s+" + System.Text.RegularExpressions.Regex.Escape(divergence.Variable!.TrimStart(':')) + @"\s*;");

    /// <summary>A location divergence at the same function, line and depth, in another column.</summary>
    private static bool IsColumnOnly(Divergence divergence) =>
        divergence.Kind == DivergenceKind.Location && WithoutColumn(divergence.Reference) == WithoutColumn(divergence.Test);

    private static string WithoutColumn(string location) =>
        System.Text.RegularExpressions.Regex.Replace(location, @"(:\d+):\d+ depth", "$1 depth");
}
