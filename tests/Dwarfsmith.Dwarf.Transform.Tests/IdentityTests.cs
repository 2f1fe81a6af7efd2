using Dwarfsmith.TestSupport;
using Xunit;

namespace Dwarfsmith.Dwarf.Transform.Tests;

/// <summary>The identity visitor: the rewritten DWARF means exactly what the input's does.</summary>
public class IdentityTests
{
    [Theory]
    [MemberData(nameof(Corpus.ProgramVariants), MemberType = typeof(Corpus))]
    public void Identity_rewrite_of_a_corpus_module_verifies_and_dumps_the_same(string program, OptLevel opt, int dwarfVersion)
    {
        var input = Corpus.Get(program).BuildWasm(opt, dwarfVersion).Path;
        var output = Rewriting.Rewrite(input, DwarfVisitor.Identity, $"identity-{program}-{opt}-v{dwarfVersion}");
        Rewriting.AssertNoNewVerifyErrors(input, output);
        Rewriting.AssertSameMeaning(input, output);
        Rewriting.AssertSameDwarf(input, output);
    }

    [Fact]
    public void Identity_rewrite_of_sqlite_verifies_and_dumps_the_same()
    {
        var input = Corpus.Sqlite().Path;
        var output = Rewriting.Rewrite(input, DwarfVisitor.Identity, "identity-sqlite");
        Rewriting.AssertNoNewVerifyErrors(input, output);
        Rewriting.AssertSameDwarf(input, output);
    }

    [Fact]
    public void Identity_rewrite_of_a_dwarf5_sqlite_verifies_and_dumps_the_same()
    {
        var input = Corpus.Sqlite(OptLevel.O1, dwarfVersion: 5).Path;
        var output = Rewriting.Rewrite(input, DwarfVisitor.Identity, "identity-sqlite-v5");
        Rewriting.AssertNoNewVerifyErrors(input, output);
        Rewriting.AssertSameDwarf(input, output);
    }
}
