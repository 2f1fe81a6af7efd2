using Dwarfsmith.TestSupport;
using Xunit;

namespace Dwarfsmith.Dwarf.Transform.Tests;

/// <summary>
/// Dead code stays dead (issue 16): corpus/deadcode, whose unused functions in five units wasm-ld
/// removed and marked with its tombstones, rewritten as it is and converted to the other DWARF
/// version (the tombstones differ: −1 in DWARF 5 and .debug_info, −2 in .debug_ranges/.debug_loc).
/// LLVM's statistics and verifier are the oracles: revived dead code shows as more scope bytes and
/// variables and as overlapping ranges.
/// </summary>
public class DeadCodeTests
{
    public static TheoryData<OptLevel, int> Variants => new()
    {
        { OptLevel.O0, 4 }, { OptLevel.O0, 5 }, { OptLevel.O2, 4 }, { OptLevel.O2, 5 },
    };

    [Theory]
    [MemberData(nameof(Variants))]
    public void Identity_keeps_dead_code_dead(OptLevel opt, int version)
    {
        var input = DeadCodeProgram.Build(opt, version).Path;
        var output = Rewriting.Rewrite(input, DwarfVisitor.Identity, $"deadcode-identity-{opt}-v{version}");
        Rewriting.AssertNoNewVerifyErrors(input, output);
        Rewriting.AssertSameMeaning(input, output);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Conversion_to_the_other_version_keeps_dead_code_dead(OptLevel opt, int version)
    {
        int target = version == 4 ? 5 : 4;
        var input = DeadCodeProgram.Build(opt, version).Path;
        var output = Rewriting.Rewrite(input, new VersionConversionVisitor((ushort)target), $"deadcode-{opt}-v{version}-to-v{target}");
        Rewriting.AssertNoNewVerifyErrors(input, output);
        Rewriting.AssertSameMeaning(input, output);
        Rewriting.AssertSameDwarf(input, output, new DumpNormalizer.Options(AcrossVersions: true));
    }

    [Fact]
    public void A_round_trip_through_dwarf4_keeps_dead_code_dead()
    {
        var input = DeadCodeProgram.Build(OptLevel.O2, 5).Path;
        var v4 = Rewriting.Rewrite(input, new VersionConversionVisitor(4), "deadcode-roundtrip-v4");
        var back = Rewriting.Rewrite(v4, new VersionConversionVisitor(5), "deadcode-roundtrip-v5");
        Rewriting.AssertSameMeaning(input, back);
        Rewriting.AssertSameDwarf(input, back, new DumpNormalizer.Options(AcrossVersions: true));
    }
}
