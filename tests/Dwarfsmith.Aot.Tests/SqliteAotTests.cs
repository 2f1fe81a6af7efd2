using System.Diagnostics;
using Dwarfsmith.TestSupport;
using Dwarfsmith.Wasm;
using Xunit;

namespace Dwarfsmith.Aot.Tests;

/// <summary>SQLite (4.5 MB of wasm): the -O2 executable against node.</summary>
public sealed class SqliteAotTests
{
    /// <summary>Long: clang -O2 on SQLite's 40 MB of C takes minutes (run with DWARFSMITH_LONG_TESTS=1).</summary>
    [Fact]
    [Trait("Category", "Long")]
    public void Runs_like_node_at_O2()
    {
        var wasm = Corpus.Sqlite().Path;
        var expected = NodeWasi.Run(wasm, new WasiOptions { Timeout = TimeSpan.FromMinutes(2) });
        var stopwatch = Stopwatch.StartNew();
        var executable = AotHarness.Compile(wasm, 2);
        var compile = stopwatch.Elapsed;
        var actual = AotHarness.Run(executable, []);
        Assert.Equal(expected.StandardOutput, actual.StandardOutput);
        Assert.Equal(expected.ExitCode, actual.ExitCode);
        File.AppendAllText(Path.Combine(RepoPaths.Reports, "aot-translation.txt"),
            $"SQLite -O2 build (clang-22, or the cache): {compile.TotalSeconds:F0} s; run: node {expected.Elapsed.TotalSeconds:F2} s, aot {actual.Elapsed.TotalSeconds:F2} s\n");
    }
}
