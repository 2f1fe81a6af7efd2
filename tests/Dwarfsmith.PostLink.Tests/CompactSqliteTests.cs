using Dwarfsmith.TestSupport;
using Xunit;

namespace Dwarfsmith.PostLink.Tests;

/// <summary>
/// <c>compact</c> on SQLite (-O1, DWARF 4; 180,000 line rows): the checks of the corpus at scale, with
/// breakpoints sampled from the lines that have code in the largest line table (sqlite3.c's).
/// </summary>
public class CompactSqliteTests
{
    private const int SampledLines = 24;

    [Fact]
    public void Compacting_sqlite_keeps_the_code_the_dwarf_and_the_behaviour()
    {
        var linked = LinkedTwice.Sqlite();
        string output = CompactionOracles.Compact(linked.Module, "sqlite");

        var map = CompactionOracles.AssertFaithful(linked, output, checkStatistics: false);
        CompactionOracles.AssertBreakpointsMoved(linked.Module, output, map, "sqlite3.c", SampleLines(linked.Module));

        var options = new WasiOptions { Timeout = TimeSpan.FromMinutes(2) };
        var expected = NodeWasi.Run(linked.Module, options);
        var actual = NodeWasi.Run(output, options);
        Assert.True(expected.Succeeded, expected.Describe());
        Assert.Equal(expected.StandardOutput, actual.StandardOutput);
        Assert.Equal(expected.ExitCode, actual.ExitCode);
    }

    /// <summary>Lines spread evenly over the statement rows of the largest line table.</summary>
    private static List<int> SampleLines(string module)
    {
        var rows = LineTableDump.Rows(module).Where(r => !LineTableDump.IsDead(r) && r.Rest.Contains("is_stmt", StringComparison.Ordinal)).ToList();
        int largest = rows.GroupBy(r => r.Table).MaxBy(g => g.Count())!.Key;
        var lines = rows.Where(r => r.Table == largest)
            .Select(r => int.Parse(r.Rest.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture))
            .Where(line => line > 0).Distinct().Order().ToList();
        return [.. Enumerable.Range(0, SampledLines).Select(i => lines[i * lines.Count / SampledLines])];
    }
}
