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
    public void Demo_compiles_the_sample_ahead_of_time_and_runs_it()
    {
        var run = CliRun.Of("demo");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("== Compiling it ahead of time", run.Output, StringComparison.Ordinal);
        Assert.Contains("exit code: 0", run.Output, StringComparison.Ordinal);
    }
}
