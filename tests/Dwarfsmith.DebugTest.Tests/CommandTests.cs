using Dwarfsmith.Cli;
using Xunit;

namespace Dwarfsmith.DebugTest.Tests;

/// <summary><c>dwarfsmith debugtest</c>: exit codes, JSON on stdout, shard merge.</summary>
public sealed class CommandTests
{
    private static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = CommandLine.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    private static string[] Common(params string[] args) =>
        [.. args, "--cache", Harness.CacheDirectory, "--debugger", "gdb", "--steps", "30"];

    [DebuggerFact]
    public void Agreement_exits_0_and_a_divergence_1()
    {
        var same = Run(Common("debugtest", "--seeds", "1", "--engine", "native"));
        Assert.True(same.ExitCode == 0, same.ToString());
        Assert.Contains("| native | gdb | -O0 | 1 | 30 | 100.0% | 100.0% | 100.0% |", same.Output, StringComparison.Ordinal);
        var damaged = Run(Common("debugtest", "--seeds", "1", "--engine", "native", "--damage", "lines", "--json"));
        Assert.True(damaged.ExitCode == 1, damaged.ToString());
        Assert.StartsWith("{", damaged.Output, StringComparison.Ordinal);
    }

    [DebuggerFact]
    public void Shard_reports_merge_through_the_command()
    {
        var directory = Directory.CreateTempSubdirectory("debugtest-shards-");
        try
        {
            var paths = new List<string>();
            foreach (var shard in new[] { "1/2", "2/2" })
            {
                var run = Run(Common("debugtest", "--seeds", "1-2", "--shard", shard, "--engine", "native", "--damage", "lines", "--json"));
                Assert.Equal(1, run.ExitCode);
                var path = Path.Combine(directory.FullName, shard.Replace('/', '-') + ".json");
                File.WriteAllText(path, run.Output);
                paths.Add(path);
            }
            var merged = Run(["debugtest", "--merge", .. paths, "--json"]);
            var whole = Run(Common("debugtest", "--seeds", "1-2", "--engine", "native", "--damage", "lines", "--json"));
            Assert.Equal(1, merged.ExitCode);
            Assert.Equal(whole.Output, merged.Output);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void Usage_errors_exit_64()
    {
        Assert.Equal(ExitCodes.Usage, Run("debugtest").ExitCode);
        Assert.Equal(ExitCodes.Usage, Run("debugtest", "--seeds", "5-1").ExitCode);
        Assert.Equal(ExitCodes.Usage, Run("debugtest", "--seeds", "1", "--engine", "qemu").ExitCode);
        Assert.Equal(ExitCodes.Usage, Run("debugtest", "--seeds", "1", "--debugger", "windbg").ExitCode);
        Assert.Equal(ExitCodes.Usage, Run("debugtest", "--seeds", "1-4", "--shard", "3/2").ExitCode);
        Assert.Equal(ExitCodes.Usage, Run("debugtest", "--seeds", "1", "--engine", "wasmtime", "--damage", "lines").ExitCode);
    }

    [Fact]
    public void A_missing_file_exits_66_and_a_report_that_is_not_one_65()
    {
        Assert.Equal(ExitCodes.MissingInput, Run("debugtest", "/nonexistent/x.c").ExitCode);
        Assert.Equal(ExitCodes.MissingInput, Run("debugtest", "--merge", "/nonexistent/r.json").ExitCode);
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "{\"programs\": 1}");
            Assert.Equal(ExitCodes.MalformedInput, Run("debugtest", "--merge", path).ExitCode);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [DebuggerFact]
    public void The_aot_engine_runs_through_the_command()
    {
        // Seed 1's first 30 stops agree in gdb (its first divergence is at stop 41, see AotEngineTests).
        var run = Run(Common("debugtest", "--seeds", "1", "--engine", "aot"));
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("| aot | gdb | -O0 | 1 | 30 | 100.0% | 100.0% | 100.0% |", run.Output, StringComparison.Ordinal);
    }
}
