using Dwarfsmith.TestSupport;
using Xunit;

namespace Dwarfsmith.Cli.Tests;

/// <summary><c>dwarfsmith spectest</c> in-process: the table, the failures it lists, exit codes.</summary>
public class SpecTestCommandTests
{
    private static readonly string Suite = Path.Combine(RepoPaths.Shared, "wasm-testsuite");

    [Fact]
    public void A_passing_script_prints_its_counts_and_exits_0()
    {
        var run = CliRun.Of("spectest", Path.Combine(Suite, "fac.wast"));
        Assert.True(run.ExitCode == 0, run.ToString());
        var row = run.Output.Split('\n').Single(line => line.StartsWith("fac ", StringComparison.Ordinal));
        var counts = row.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(int.Parse(counts[1]) > 0, row);
        Assert.Equal("0", counts[2]);
    }

    [Fact]
    public void A_failing_command_is_listed_with_its_line_and_exits_1()
    {
        var directory = RepoPaths.NewScratchDirectory("cli-spectest");
        try
        {
            var wast = Path.Combine(directory, "wrong.wast");
            File.WriteAllText(wast, """
                (module (func (export "one") (result i32) i32.const 1))
                (assert_return (invoke "one") (i32.const 2))
                (assert_return (invoke "one") (i32.const 1))
                (assert_trap (invoke "one") "unreachable")
                """);
            var run = CliRun.Of("spectest", wast);
            Assert.Equal(1, run.ExitCode);
            Assert.Contains("wrong.wast:2: assert_return: result 0: got 0x00000001, expected 0x00000002", run.Output, StringComparison.Ordinal);
            Assert.Contains("wrong.wast:4: assert_trap: returned, expected trap \"unreachable\"", run.Output, StringComparison.Ordinal);
            Assert.Contains("total (1 files)", run.Output, StringComparison.Ordinal);
            var row = run.Output.Split('\n').Single(line => line.StartsWith("wrong ", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(["wrong", "2", "2", "0"], row[..4]);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void A_script_wast2json_cannot_convert_is_reported_and_a_missing_path_is_66()
    {
        var run = CliRun.Of("spectest", Path.Combine(Suite, "if.wast"));
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("not converted by wast2json", run.Output, StringComparison.Ordinal);
        Assert.Equal(66, CliRun.Of("spectest", "/nonexistent.wast").ExitCode);
    }
}
