using Xunit;

namespace Dwarfsmith.Cli.Tests;

public class DemoCommandTests
{
    [Fact]
    public void Demo_describes_the_built_in_sample()
    {
        var run = CliRun.Of("demo");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("sample.wasm (built-in)", run.Output, StringComparison.Ordinal);
        Assert.Contains("fib", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Demo_compacts_and_splits_the_sample_keeping_every_line_row()
    {
        var run = CliRun.Of("demo");
        Assert.True(run.ExitCode == 0, run.ToString());
        var rows = System.Text.RegularExpressions.Regex.Match(run.Output, @"line rows at their new addresses: ([\d,]+) of ([\d,]+)");
        Assert.True(rows.Success, run.Output);
        Assert.Equal(rows.Groups[2].Value, rows.Groups[1].Value);
        Assert.Contains("compacted module valid", run.Output, StringComparison.Ordinal);
        Assert.Contains("sample.debug.wasm", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Demo_compiles_the_sample_ahead_of_time_and_runs_it()
    {
        var run = CliRun.Of("demo");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("== Compiling it ahead of time", run.Output, StringComparison.Ordinal);
        Assert.Contains("exit code: 0", run.Output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Demo_debugs_a_debug_build_of_the_sample_in_gdb_at_the_source_level()
    {
        TestSupport.HostCapabilities.Ptrace.SkipUnlessAvailable();
        var run = CliRun.Of("demo");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("== Debugging it in gdb", run.Output, StringComparison.Ordinal);
        // The sample's own values: the first point, its y, the file-static, the first length returned.
        Assert.Contains("{x = 3, y = 4}", run.Output, StringComparison.Ordinal);
        Assert.Contains("= 1.5", run.Output, StringComparison.Ordinal);
        Assert.Contains("Value returned is $5 = 7.5", run.Output, StringComparison.Ordinal);
        Assert.Contains("main () at sample.c:33", run.Output, StringComparison.Ordinal);
    }
}
