using Dwarfsmith.TestSupport;
using Xunit;

namespace Dwarfsmith.PostLink.Tests;

/// <summary>Compaction keeps clang's macro information (-fdebug-macro), which names no code addresses.</summary>
public class CompactMacroTests
{
    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public void Compaction_keeps_every_macro_entry(int version)
    {
        var input = Corpus.Get("structs").Build(CompileOptions.Wasm(OptLevel.O2, version) with { Flags = ["-fdebug-macro"] }).Path;
        var output = CompactionOracles.Compact(input, $"macros-structs-v{version}");
        var expected = MacroDump.Normalized(input);
        Assert.Contains("_define", expected, StringComparison.Ordinal);
        Assert.Equal(expected, MacroDump.Normalized(output));
        Assert.Equal(MacroDump.Meaning(input), MacroDump.Meaning(output));
        DwarfVerify.AssertNoNewErrors(input, output);
    }
}
