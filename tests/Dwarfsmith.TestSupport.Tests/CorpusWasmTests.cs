using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Xunit;

namespace Dwarfsmith.TestSupport.Tests;

/// <summary>Every corpus program, in every standard wasm variant, runs under node exactly like the host build.</summary>
public class CorpusWasmTests
{
    private static readonly ConcurrentDictionary<string, string> s_rows = new(StringComparer.Ordinal);
    private static readonly Lock s_reportLock = new();

    [Theory]
    [MemberData(nameof(Corpus.ProgramVariants), MemberType = typeof(Corpus))]
    public void Wasm_output_matches_the_host(string name, OptLevel opt, int dwarfVersion)
    {
        var program = Corpus.Get(name);
        var outcome = "FAIL";
        BuildOutput? wasm = null;
        ProcessResult? actual = null;
        try
        {
            wasm = program.BuildWasm(opt, dwarfVersion);
            Assert.True(File.Exists(wasm.Path));
            ProcessRunner.Run(Toolchain.WasmValidate, [wasm.Path]).EnsureSuccess();

            var host = program.Build(CompileOptions.Host(OptLevel.O0));
            var expected = program.RunHost(host.Path);
            actual = program.RunWasm(wasm.Path);

            Assert.False(actual.TimedOut, actual.Describe());
            Assert.Equal(program.ExpectedExitCode, expected.ExitCode);
            Assert.True(program.ExpectedExitCode == actual.ExitCode, $"{name} {opt} DWARF{dwarfVersion}: {actual.Describe()}");
            Assert.Equal(expected.StandardOutput, actual.StandardOutput);
            Assert.Equal(expected.StandardError, actual.StandardError);
            Assert.NotEmpty(actual.StandardOutput);
            outcome = "ok";
        }
        finally
        {
            Report(name, opt, dwarfVersion, wasm, actual, outcome);
        }
    }

    private static void Report(string name, OptLevel opt, int dwarfVersion, BuildOutput? wasm, ProcessResult? run, string outcome)
    {
        var size = wasm is null ? "-" : new FileInfo(wasm.Path).Length.ToString("N0", CultureInfo.InvariantCulture);
        var time = run is null ? "-" : run.Elapsed.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture);
        s_rows[$"{name} -{opt} DWARF{dwarfVersion}"] = string.Create(CultureInfo.InvariantCulture,
            $"| {name,-10} | -{opt} | {dwarfVersion,5} | {size,9} | {time,6} | {outcome,-6} |");
        var sb = new StringBuilder();
        sb.AppendLine("Corpus under node vs host (wasm size in bytes, node run in seconds incl. startup):");
        sb.AppendLine("| program    | opt | DWARF | wasm size | node s | result |");
        sb.AppendLine("|------------|-----|-------|-----------|--------|--------|");
        foreach (var row in s_rows.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            sb.AppendLine(row.Value);
        }

        lock (s_reportLock)
        {
            var path = Path.Combine(RepoPaths.Reports, "corpus.md");
            File.WriteAllText(path + ".tmp", sb.ToString());
            File.Move(path + ".tmp", path, overwrite: true);
        }
    }
}
