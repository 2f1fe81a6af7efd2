using Dwarfsmith.TestSupport;
using Xunit;

namespace Dwarfsmith.Dwarf.Transform.Tests;

/// <summary>A rewrite changes only debug sections: the module runs under node exactly as before.</summary>
public class RunAfterRewriteTests
{
    [Theory]
    [InlineData("structs", OptLevel.O2, 5)]
    [InlineData("file_io", OptLevel.O0, 4)]
    [InlineData("args_env", OptLevel.O2, 4)]
    public void A_rewritten_module_runs_under_node_with_the_same_output(string name, OptLevel opt, int version)
    {
        var program = Corpus.Get(name);
        var input = program.BuildWasm(opt, version).Path;
        var expected = program.RunWasm(input);
        foreach (var (visitor, label) in new (DwarfVisitor, string)[] { (DwarfVisitor.Identity, "identity"), (new VersionConversionVisitor((ushort)(9 - version)), "converted") })
        {
            var output = Rewriting.Rewrite(input, visitor, $"run-{label}-{name}-{opt}-v{version}");
            var actual = program.RunWasm(output);
            Assert.Equal(expected.ExitCode, actual.ExitCode);
            Assert.Equal(expected.StandardOutput, actual.StandardOutput);
            Assert.Equal(expected.StandardError, actual.StandardError);
        }
    }
}
