using Xunit;

namespace Dwarfsmith.TestSupport.Tests;

/// <summary>Every corpus program, in every standard wasm variant, runs under node exactly like the host build.</summary>
public class CorpusWasmTests
{
    [Theory]
    [MemberData(nameof(Corpus.ProgramVariants), MemberType = typeof(Corpus))]
    public void Wasm_output_matches_the_host(string name, OptLevel opt, int dwarfVersion)
    {
        var program = Corpus.Get(name);
        var wasm = program.BuildWasm(opt, dwarfVersion);
        Assert.True(File.Exists(wasm.Path));
        ProcessRunner.Run(Toolchain.WasmValidate, [wasm.Path]).EnsureSuccess();

        var host = program.Build(CompileOptions.Host(OptLevel.O0));
        var expected = program.RunHost(host.Path);
        var actual = program.RunWasm(wasm.Path);

        Assert.False(actual.TimedOut, actual.Describe());
        Assert.Equal(program.ExpectedExitCode, expected.ExitCode);
        Assert.True(program.ExpectedExitCode == actual.ExitCode, $"{name} {opt} DWARF{dwarfVersion}: {actual.Describe()}");
        Assert.Equal(expected.StandardOutput, actual.StandardOutput);
        Assert.Equal(expected.StandardError, actual.StandardError);
        Assert.NotEmpty(actual.StandardOutput);
    }
}
