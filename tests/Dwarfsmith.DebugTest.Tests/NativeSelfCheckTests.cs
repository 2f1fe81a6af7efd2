using System.Text.Json;
using Dwarfsmith.TestSupport;
using Xunit;

namespace Dwarfsmith.DebugTest.Tests;

/// <summary>
/// The self-checks: native against native agrees on every stop in gdb and lldb, and a deliberately damaged side
/// (line rows shifted; two locals' names swapped, so each name describes the other's location) is caught and
/// classified.
/// </summary>
public sealed class NativeSelfCheckTests
{
    [DebuggerFact]
    public void Native_against_native_agrees_everywhere()
    {
        var report = Harness.Run(Harness.Options(Harness.DefaultSeeds));
        Assert.False(report.HasDivergences, report.ToText());
        Assert.Equal(2, report.Groups.Count);
        foreach (var (group, metrics) in report.Groups)
        {
            Assert.Equal(Harness.DefaultSeeds.Count, metrics.Programs);
            Assert.True(metrics.Steps > 100, $"{group}: only {metrics.Steps} steps");
            Assert.True(metrics.ValuePairs > 500, $"{group}: only {metrics.ValuePairs} values compared");
            Assert.Equal(1.0, metrics.LocationMatch);
            Assert.Equal(1.0, metrics.VariablesVisible);
            Assert.Equal(1.0, metrics.ValuesEqualFraction);
            Assert.Equal(0, metrics.FailedSessions);
        }
    }

    [DebuggerFact]
    public void Shifted_line_rows_are_location_divergences()
    {
        var report = Harness.Run(Harness.Options([1], damage: SourceDamage.Lines) with { Steps = 100 });
        Assert.True(report.HasDivergences);
        foreach (var (group, metrics) in report.Groups)
            Assert.True(metrics.LocationMatch < 0.9, $"{group}: {metrics.LocationMatch}");
        var first = report.Divergences.Where(d => d.Debugger == "gdb").First();
        Assert.Equal(DivergenceKind.Location, first.Kind);
        Assert.Equal(0, first.Step);
        // The reference names main's first statement, the damaged side the line after it.
        var program = Csmith.Generate(1, Harness.CacheDirectory);
        var entry = program.EntryLine();
        Assert.Contains($"main seed1.c:{entry + 2} ", first.Reference + " ", StringComparison.Ordinal);
        Assert.Contains($"main seed1.c:{entry + 3} ", first.Test + " ", StringComparison.Ordinal);
    }

    [DebuggerFact]
    public void Swapped_locals_are_value_divergences_of_those_two()
    {
        var program = Csmith.Generate(1, Harness.CacheDirectory);
        SourceDamages.SwapLocals([.. File.ReadAllLines(program.SourcePath)], out var first, out var second);
        var report = Harness.Run(Harness.Options([1], damage: SourceDamage.SwapLocals) with { Steps = 100 });
        Assert.True(report.HasDivergences);
        foreach (var debugger in new[] { "gdb", "lldb" })
        {
            var divergences = report.Divergences.Where(d => d.Debugger == debugger).ToList();
            Assert.All(divergences, d => Assert.Equal(DivergenceKind.Value, d.Kind));
            var names = divergences.Select(d => d.Variable!).Distinct().Order(StringComparer.Ordinal).ToArray();
            Assert.Equal(new[] { first, second }.Order(StringComparer.Ordinal).ToArray(), names);
        }
        Assert.All(report.Groups.Values, m => Assert.Equal(1.0, m.LocationMatch));
    }

    [DebuggerFact]
    public void Same_seeds_give_the_same_report()
    {
        var options = Harness.Options([2], damage: SourceDamage.SwapLocals) with { Steps = 60 };
        var first = Harness.Run(options).ToJson();
        var second = Harness.Run(options).ToJson();
        Assert.Equal(first, second);
    }

    [Fact]
    [Trait("Category", "Long")]
    public void Native_against_native_agrees_on_100_seeds()
    {
        if (DebuggerCapability.MissingReason is { } reason)
            throw new TestEnvironmentException(reason);
        var seeds = Enumerable.Range(1, 100).Select(s => (long)s).ToList();
        var report = Harness.Run(Harness.Options(seeds) with { Optimizations = [0, 2] });
        File.WriteAllText(Path.Combine(RepoPaths.Reports, "debugtest-native-100.md"), report.ToText());
        Assert.False(report.HasDivergences, report.ToText());
    }

    [DebuggerFact]
    public void Json_has_the_documented_shape()
    {
        var report = Harness.Run(Harness.Options([1]) with { Debuggers = [DebuggerKind.Gdb], Steps = 20 });
        using var json = JsonDocument.Parse(report.ToJson());
        var root = json.RootElement;
        Assert.Equal(1, root.GetProperty("programs").GetInt32());
        Assert.Equal(20, root.GetProperty("steps").GetInt32());
        foreach (var metric in new[] { "location_match", "variables_visible", "values_equal" })
            Assert.Equal(1.0, root.GetProperty(metric).GetDouble());
        Assert.Equal(JsonValueKind.Array, root.GetProperty("divergences").ValueKind);
        var group = Assert.Single(root.GetProperty("groups").EnumerateArray().ToList());
        Assert.Equal("native", group.GetProperty("engine").GetString());
        Assert.Equal("gdb", group.GetProperty("debugger").GetString());
        Assert.Equal(0, group.GetProperty("opt").GetInt32());
    }
}
