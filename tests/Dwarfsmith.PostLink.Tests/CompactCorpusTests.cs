using Dwarfsmith.TestSupport;
using Xunit;

namespace Dwarfsmith.PostLink.Tests;

/// <summary>
/// <c>compact</c> on every corpus program at -O0/-O2 with DWARF 4/5: the code wasm-ld compresses,
/// the same instructions, DWARF that verifies, every line row, range and location-list entry and
/// breakpoint at its mapped address,
/// and the same behaviour under node.
/// </summary>
public class CompactCorpusTests
{
    [Theory]
    [MemberData(nameof(Corpus.ProgramVariants), MemberType = typeof(Corpus))]
    public void Compacting_keeps_the_code_the_dwarf_and_the_behaviour(string name, OptLevel opt, int dwarfVersion)
    {
        var program = Corpus.Get(name);
        var linked = LinkedTwice.Program(program, opt, dwarfVersion);
        string output = CompactionOracles.Compact(linked.Module, $"{name}-{opt}-v{dwarfVersion}");

        var map = CompactionOracles.AssertFaithful(linked, output);
        if (program.Breakpoints.Count > 0)
            CompactionOracles.AssertBreakpointsMoved(linked.Module, output, map, name + ".c", [.. program.Breakpoints.Values], requireLocations: opt == OptLevel.O0);

        var expected = program.RunWasm(linked.Module);
        var actual = program.RunWasm(output);
        Assert.Equal(expected.ExitCode, actual.ExitCode);
        Assert.Equal(expected.StandardOutput, actual.StandardOutput);
        Assert.Equal(expected.StandardError, actual.StandardError);
    }
}
