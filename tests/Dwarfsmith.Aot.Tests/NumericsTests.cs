using Dwarfsmith.TestSupport;
using Xunit;

namespace Dwarfsmith.Aot.Tests;

/// <summary>Numeric edge cases (Programs/numerics.c: float min/max/nearest/trunc/copysign with NaN, -0,
/// infinities and subnormals, saturating conversions, rotates, division at the limits) print what node prints.</summary>
public sealed class NumericsTests
{
    public static TheoryData<string, int, int> Builds => new()
    {
        { "clang-22", 0, 1 }, { "clang-22", 2, 1 }, { "gcc", 0, 1 }, { "gcc", 2, 1 },
        // The translation split into three files compiled in parallel behaves the same.
        { "clang-22", 2, 3 },
    };

    [Theory]
    [MemberData(nameof(Builds))]
    public void Numerics_match_node_bit_for_bit(string compiler, int level, int parts)
    {
        var source = Path.Combine(RepoPaths.Root, "tests", "Dwarfsmith.Aot.Tests", "Programs", "numerics.c");
        var wasm = CCompiler.Compile(source, CompileOptions.Wasm(OptLevel.O2)).Path;
        var expected = NodeWasi.Run(wasm);
        Assert.Equal(0, expected.ExitCode);
        var actual = AotHarness.Run(AotHarness.Compile(wasm, level, compiler, parts), []);
        Assert.Equal(expected.StandardOutput, actual.StandardOutput);
        Assert.Equal(0, actual.ExitCode);
    }
}
