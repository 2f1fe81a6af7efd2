using Dwarfsmith.TestSupport;
using Xunit;

namespace Dwarfsmith.Dwarf.Transform.Tests;

/// <summary>DWARF 4 → 5 and 5 → 4: the dumps mean the same once forms and encodings are set aside.</summary>
public class VersionConversionTests
{
    public static TheoryData<string, OptLevel, int> Variants
    {
        get
        {
            var data = new TheoryData<string, OptLevel, int>();
            foreach (var program in Corpus.Programs)
            {
                data.Add(program.Name, OptLevel.O0, 4);
                data.Add(program.Name, OptLevel.O2, 5);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Conversion_to_the_other_version_verifies_and_means_the_same(string program, OptLevel opt, int version)
    {
        int target = version == 4 ? 5 : 4;
        var input = Corpus.Get(program).BuildWasm(opt, version).Path;
        var output = Rewriting.Rewrite(input, new VersionConversionVisitor((ushort)target), $"convert-{program}-{opt}-v{version}-to-v{target}");
        Rewriting.AssertNoNewVerifyErrors(input, output);
        Rewriting.AssertSameMeaning(input, output);
        Rewriting.AssertSameDwarf(input, output, new DumpNormalizer.Options(AcrossVersions: true));
        Assert.Contains($"version = 0x000{target}", Rewriting.Dump(output, "--debug-info"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_round_trip_through_the_other_version_dumps_as_the_input()
    {
        var input = Corpus.Get("inline").BuildWasm(OptLevel.O2, 5).Path;
        var v4 = Rewriting.Rewrite(input, new VersionConversionVisitor(4), "roundtrip-inline-v4");
        var back = Rewriting.Rewrite(v4, new VersionConversionVisitor(5), "roundtrip-inline-v5");
        Rewriting.AssertNoNewVerifyErrors(input, back);
        Rewriting.AssertSameMeaning(input, back);
        Rewriting.AssertSameDwarf(input, back, new DumpNormalizer.Options(AcrossVersions: true));
    }
}
