using System.Diagnostics;
using Dwarfsmith.Dwarf.Reading;
using Dwarfsmith.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace Dwarfsmith.Dwarf.Tests;

/// <summary>Reading all of SQLite's DWARF is far faster than llvm-dwarfdump --verify on it (the anchor of the rewrite benchmark).</summary>
public class PerformanceProbe(ITestOutputHelper output)
{
    [Fact]
    public void Reading_all_of_sqlite_dwarf_beats_llvm_dwarfdump_verify()
    {
        var path = Corpus.Sqlite(OptLevel.O1, 4).Path;
        var sections = DwarfInputs.Load(path);
        var bytes = sections.All.Sum(s => (long)s.Length);
        
        var best = TimeSpan.MaxValue;
        WalkCounts? counts = null;
        for (var i = 0; i < 2; i++)
        {
            var sw = Stopwatch.StartNew();
            counts = DwarfWalker.ReadEverything(new DwarfContext(sections));
            best = sw.Elapsed < best ? sw.Elapsed : best;
        }

        var verify = Stopwatch.StartNew();
        ProcessRunner.Run(Toolchain.LlvmDwarfdump, ["--verify", "--quiet", path]);
        var anchor = verify.Elapsed;
        output.WriteLine($"{bytes / 1024} KiB of DWARF: read all in {best.TotalMilliseconds:F0} ms ({counts}); llvm-dwarfdump --verify {anchor.TotalMilliseconds:F0} ms");
        // A Debug build of the library (what plain `dotnet test` runs) is not what the benchmark measures.
        var debuggable = typeof(DwarfContext).Assembly.GetCustomAttributes(typeof(DebuggableAttribute), false)
            .OfType<DebuggableAttribute>().FirstOrDefault();
        if (debuggable is null || !debuggable.IsJITOptimizerDisabled)
            Assert.True(best < anchor, $"read {best}, verify {anchor}");
    }
}
