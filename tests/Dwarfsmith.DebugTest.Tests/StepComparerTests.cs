using Xunit;

namespace Dwarfsmith.DebugTest.Tests;

/// <summary>The comparison's classification and exclusion rules, on transcripts written here (no debugger needed).</summary>
public sealed class StepComparerTests
{
    private static readonly TestProgram s_program = new("t", "/nonexistent/t.c", null, []);

    private static VariableState Var(string name, string value, int line = 1) => new(name, line, [new(name, value)]);

    private static StopState Stop(int index, int line, params VariableState[] variables) =>
        new(index, "f", "t.c", line, null, 1, variables, null);

    private static Transcript Exited(params StopState[] stops) => new(stops, "exit", 0, null);

    private static ProgramComparison Compare(Transcript reference, Transcript test) =>
        new StepComparer(s_program, "e", "gdb", 0).Compare(reference, test);

    [Fact]
    public void Equal_transcripts_agree()
    {
        var side = Exited(Stop(0, 10, Var("a", "1")), Stop(1, 11, Var("a", "2")));
        var result = Compare(side, side);
        Assert.Empty(result.Divergences);
        Assert.Equal(2, result.Metrics.Steps);
        Assert.Equal(1.0, result.Metrics.LocationMatch);
        Assert.Equal(2, result.Metrics.ValuePairs);
    }

    [Fact]
    public void Each_kind_is_classified()
    {
        var reference = Exited(Stop(0, 10, Var("a", "1"), Var("b", "2"), Var("c", "3")));
        var test = Exited(Stop(0, 12, Var("a", "5"), Var("c", "<optimized out>"), Var("d", "4")));
        var kinds = Compare(reference, test).Divergences.ToDictionary(d => d.Variable ?? "", d => d.Kind);
        Assert.Equal(DivergenceKind.Location, kinds[""]);
        Assert.Equal(DivergenceKind.Value, kinds["a"]);
        Assert.Equal(DivergenceKind.MissingVariable, kinds["b"]);
        Assert.Equal(DivergenceKind.OptimizedOut, kinds["c"]);
        Assert.Equal(DivergenceKind.ExtraVariable, kinds["d"]);
    }

    [Fact]
    public void A_session_failure_and_missing_stops_are_reported()
    {
        var reference = Exited(Stop(0, 10), Stop(1, 11));
        var test = new Transcript([Stop(0, 10)], null, null, "timeout after 120 s");
        var result = Compare(reference, test);
        Assert.Equal(2, result.Metrics.Steps);
        Assert.Equal(1, result.Metrics.LocationMatches);
        Assert.Equal(1, result.Metrics.FailedSessions);
        Assert.All(result.Divergences, d => Assert.Equal(DivergenceKind.TimeoutOrCrash, d.Kind));
        Assert.Contains(result.Divergences, d => d.Test.Contains("timeout", StringComparison.Ordinal));
    }

    [Fact]
    public void Different_exit_codes_are_a_divergence()
    {
        var result = Compare(Exited(Stop(0, 10)), new Transcript([Stop(0, 10)], "exit", 134, null));
        Assert.Equal(DivergenceKind.TimeoutOrCrash, Assert.Single(result.Divergences).Kind);
    }

    [Fact]
    public void A_local_before_its_declaration_is_not_compared_but_counted()
    {
        var reference = Exited(Stop(0, 10, Var("a", "7", line: 10)), Stop(1, 11, Var("a", "1", line: 10)));
        var test = Exited(Stop(0, 10, Var("a", "99", line: 10)), Stop(1, 11, Var("a", "1", line: 10)));
        var result = Compare(reference, test);
        Assert.Empty(result.Divergences);
        Assert.Equal(1, result.Metrics.ValuesExcluded);
        Assert.Equal(1, result.Metrics.ValuePairs);
        Assert.Equal(2, result.Metrics.VisibleOnBoth);
    }

    [Fact]
    public void What_argv_points_to_is_not_compared_but_its_nullness_is()
    {
        static VariableState Argv(string pointer, string name) => new("argv", 1, [new("argv", pointer), new("*argv", "nonnull"), new("**argv", name)]);
        Assert.Empty(Compare(Exited(Stop(0, 10, Argv("nonnull", "47"))), Exited(Stop(0, 10, Argv("nonnull", "115")))).Divergences);
        Assert.Equal(DivergenceKind.Value,
            Assert.Single(Compare(Exited(Stop(0, 10, Argv("nonnull", "47"))), Exited(Stop(0, 10, Argv("null", "47")))).Divergences).Kind);
    }

    [Fact]
    public void What_a_pointer_into_a_returned_frame_reads_is_not_compared_but_the_rest_is()
    {
        // g points to a global pointer that points into a frame that has returned: natively the driver marks it.
        static VariableState Native(string other) =>
            new("g", 1, [new("g", "nonnull"), new("*g", "nonnull"), new("**g", ExclusionRules.DeadFrame), new("h", other)]);
        static VariableState Wasm(string deref, string other) =>
            new("g", 1, [new("g", "nonnull"), new("*g", "nonnull"), new("**g", deref), new("h", other)]);
        Assert.Empty(Compare(Exited(Stop(0, 10, Native("1"))), Exited(Stop(0, 10, Wasm("16777215", "1")))).Divergences);
        Assert.Equal(DivergenceKind.Value,
            Assert.Single(Compare(Exited(Stop(0, 10, Native("1"))), Exited(Stop(0, 10, Wasm("-1", "2")))).Divergences).Kind);
        // Members of what a dead pointer points to, and pointers read there, are left out; a path that merely starts
        // with the same letters (*st) is not.
        static VariableState Struct(string dead, string member, string other) =>
            new("s", 1, [new("s", "nonnull"), new("*s", dead), new("*s.x", member), new("**s.p", member), new("*st", other)]);
        Assert.Empty(Compare(Exited(Stop(0, 10, Struct(ExclusionRules.DeadFrame, "1", "5"))), Exited(Stop(0, 10, Struct("nonnull", "2", "5")))).Divergences);
        Assert.Single(Compare(Exited(Stop(0, 10, Struct(ExclusionRules.DeadFrame, "1", "5"))), Exited(Stop(0, 10, Struct("nonnull", "2", "6")))).Divergences);
    }

    [Fact]
    public void A_divergence_recurring_at_the_same_place_is_counted_once()
    {
        var reference = Exited(Stop(0, 10, Var("a", "1")), Stop(1, 11, Var("a", "1")), Stop(2, 10, Var("a", "1")));
        var test = Exited(Stop(0, 10, Var("a", "2")), Stop(1, 11, Var("a", "1")), Stop(2, 10, Var("a", "3")));
        var divergence = Assert.Single(Compare(reference, test).Divergences);
        Assert.Equal(2, divergence.Count);
        Assert.Equal(0, divergence.Step);
    }
}
