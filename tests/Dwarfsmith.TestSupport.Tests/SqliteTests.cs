using System.Globalization;
using Xunit;

namespace Dwarfsmith.TestSupport.Tests;

public class SqliteTests
{
    [Fact]
    public void Sqlite_builds_for_wasm_and_runs_under_node_like_the_host()
    {
        var wasm = Corpus.Sqlite();
        var size = new FileInfo(wasm.Path).Length;
        Assert.True(size > 1_000_000, $"sqlite.wasm is only {size} bytes");

        var host = Corpus.SqliteHost();
        var expected = ProcessRunner.Run(host.Path, []).EnsureSuccess();
        var actual = NodeWasi.Run(wasm.Path);

        Assert.True(actual.ExitCode == 0, actual.Describe());
        Assert.Equal(expected.StandardOutput, actual.StandardOutput);
        Assert.StartsWith("sqlite 3.53.2\n", actual.StandardOutput, StringComparison.Ordinal);
        Assert.EndsWith("done\n", actual.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("5000 | ", actual.StandardOutput, StringComparison.Ordinal);

        var again = Corpus.Sqlite();
        Assert.True(again.CacheHit);
        Assert.Equal(wasm.Key, again.Key);

        File.WriteAllText(Path.Combine(RepoPaths.Reports, "sqlite.txt"), string.Create(CultureInfo.InvariantCulture,
            $"SQLite wasm (-g -O1, DWARF 4): {size:N0} bytes, build {(wasm.CacheHit ? "cached" : $"{wasm.Elapsed.TotalSeconds:F1} s")}, " +
            $"node run {actual.Elapsed.TotalSeconds:F2} s, host run {expected.Elapsed.TotalSeconds:F2} s\n"));
    }
}
