using Dwarfsmith.TestSupport;
using Xunit;

namespace Dwarfsmith.Aot.Tests;

/// <summary>Every corpus program, AOT-compiled, prints exactly what node prints and exits with node's code.</summary>
public sealed class CorpusAotTests
{
    public static TheoryData<string, OptLevel, string> Variants
    {
        get
        {
            var data = new TheoryData<string, OptLevel, string>();
            foreach (var program in Corpus.Programs)
            {
                foreach (var opt in new[] { OptLevel.O0, OptLevel.O2 })
                {
                    foreach (var compiler in AotHarness.Compilers)
                        data.Add(program.Name, opt, compiler);
                }
            }
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Matches_node(string name, OptLevel opt, string compiler)
    {
        var program = Corpus.Get(name);
        var wasm = program.BuildWasm(opt);
        var expected = program.RunWasm(wasm.Path);
        var executable = AotHarness.Compile(wasm.Path, opt == OptLevel.O0 ? 0 : 2, compiler);
        var actual = AotHarness.RunCorpus(program, executable);
        Assert.Equal(expected.StandardOutput, actual.StandardOutput);
        Assert.Equal(expected.ExitCode, actual.ExitCode);
        Assert.Equal(program.ExpectedExitCode, actual.ExitCode);
    }
}
