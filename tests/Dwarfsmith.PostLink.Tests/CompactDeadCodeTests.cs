using Dwarfsmith.TestSupport;
using Xunit;

namespace Dwarfsmith.PostLink.Tests;

/// <summary>
/// <c>compact</c> on corpus/deadcode (issue 16): dead code in several units, marked by wasm-ld's
/// tombstones, passes through unmapped and stays dead; the module keeps its behaviour.
/// </summary>
public class CompactDeadCodeTests
{
    [Theory]
    [InlineData(OptLevel.O0, 4)]
    [InlineData(OptLevel.O0, 5)]
    [InlineData(OptLevel.O2, 4)]
    [InlineData(OptLevel.O2, 5)]
    public void Compacting_keeps_dead_code_dead(OptLevel opt, int dwarfVersion)
    {
        var linked = LinkedTwice.DeadCode(opt, dwarfVersion);
        string output = CompactionOracles.Compact(linked.Module, $"deadcode-{opt}-v{dwarfVersion}");

        CompactionOracles.AssertFaithful(linked, output);
        var run = NodeWasi.Run(output);
        Assert.True(run.Succeeded, run.Describe());
        Assert.Equal(DeadCodeProgram.ExpectedOutput, run.StandardOutput);
    }
}
