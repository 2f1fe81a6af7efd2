using Dwarfsmith.TestSupport;
using Dwarfsmith.Wasm;
using Xunit;

namespace Dwarfsmith.Cli.Tests;

/// <summary>compact, strip and split on the command line: outputs, exit codes, and nothing left behind on bad input.</summary>
public class PostLinkCommandTests
{
    private const int FuzzCases = 150;

    [Fact]
    public void Compact_split_and_strip_write_valid_modules()
    {
        var input = Corpus.Get("structs").BuildWasm(OptLevel.O2, 4).Path;
        var directory = RepoPaths.NewScratchDirectory("cli-postlink");
        string compacted = Path.Combine(directory, "compact.wasm"), main = Path.Combine(directory, "main.wasm"),
            debug = Path.Combine(directory, "debug", "main.debug.wasm"), stripped = Path.Combine(directory, "stripped.wasm");
        Directory.CreateDirectory(Path.GetDirectoryName(debug)!);

        var compact = CliRun.Of("compact", input, "-o", compacted);
        Assert.True(compact.ExitCode == 0, compact.ToString());
        Assert.Contains("code section:", compact.Output, StringComparison.Ordinal);
        var split = CliRun.Of("compact", input, "-o", main, "--debug-file", debug);
        Assert.True(split.ExitCode == 0, split.ToString());
        Assert.Contains("lldb-22 does not follow the relative link 'debug/main.debug.wasm'", split.Error, StringComparison.Ordinal);
        var strip = CliRun.Of("strip", input, "-o", stripped);
        Assert.True(strip.ExitCode == 0, strip.ToString());
        string strippedCompacted = Path.Combine(directory, "stripped-compact.wasm");
        var compactStripped = CliRun.Of("compact", stripped, "-o", strippedCompacted); // no DWARF to remap
        Assert.True(compactStripped.ExitCode == 0, compactStripped.ToString());
        foreach (var path in new[] { compacted, main, debug, stripped, strippedCompacted })
            ProcessRunner.Run(Toolchain.WasmValidate, [path]).EnsureSuccess();
        Assert.Equal(WasmModule.ReadFile(compacted).CodeSection!.Payload.ToArray(), WasmModule.ReadFile(strippedCompacted).CodeSection!.Payload.ToArray());

        var mainModule = WasmModule.ReadFile(main);
        Assert.Equal("debug/main.debug.wasm", mainModule.ExternalDebugInfo);
        Assert.Empty(mainModule.DebugSections);
        Assert.Equal(mainModule.BuildId, WasmModule.ReadFile(debug).BuildId);
        Assert.Equal(64, CliRun.Of("compact", input, "-o", compacted, "--debug-url", "x").ExitCode);
        Assert.Equal(64, CliRun.Of("split", input, "-o", main, "--debug-file", main).ExitCode);
    }

    [Fact]
    public void Info_follows_external_debug_info_and_checks_the_build_id()
    {
        var directory = RepoPaths.NewScratchDirectory("cli-postlink-info");
        string main = Path.Combine(directory, "m.wasm"), debug = Path.Combine(directory, "m.debug.wasm");
        Assert.Equal(0, CliRun.Of("split", Corpus.Get("loops").BuildWasm().Path, "-o", main, "--debug-file", debug).ExitCode);
        Assert.Contains($"External debug info: m.debug.wasm (found: {debug}, build id matches)", CliRun.Of("info", main).Output, StringComparison.Ordinal);
        Assert.Contains("\"buildIdMatches\": true", CliRun.Of("info", main, "--json").Output, StringComparison.Ordinal);

        // Another program's debug file under the same name: found, but not this module's.
        Assert.Equal(0, CliRun.Of("split", Corpus.Get("arrays").BuildWasm().Path, "-o", Path.Combine(directory, "other.wasm"), "--debug-file", debug).ExitCode);
        Assert.Contains("build id does NOT match", CliRun.Of("info", main).Output, StringComparison.Ordinal);
        File.WriteAllBytes(debug, File.ReadAllBytes(debug)[..20]);
        var damaged = CliRun.Of("info", main);
        Assert.True(damaged.ExitCode == 0, damaged.ToString());
        Assert.Contains("External debug info: m.debug.wasm (found, but malformed: at 0x", damaged.Output, StringComparison.Ordinal);
        Assert.Contains("\"malformed\": \"at 0x", CliRun.Of("info", main, "--json").Output, StringComparison.Ordinal);
        File.Delete(debug);
        Assert.Contains("External debug info: m.debug.wasm (not found)", CliRun.Of("info", main).Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("compact")]
    [InlineData("strip")]
    [InlineData("split")]
    public void An_object_file_is_refused_with_69(string command)
    {
        var objectFile = Corpus.Get("structs").Build(CompileOptions.Wasm() with { ObjectOnly = true }).Path;
        var directory = RepoPaths.NewScratchDirectory("cli-postlink-object");
        var output = Path.Combine(directory, "out.wasm");
        var run = CliRun.Of([command, objectFile, "-o", output, .. command == "split" ? new[] { "--debug-file", output + ".debug" } : []]);
        Assert.True(run.ExitCode == 69, run.ToString());
        Assert.Contains("relocatable object file", run.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    [Theory]
    [InlineData("compact")]
    [InlineData("strip")]
    [InlineData("split")]
    public void Truncated_and_damaged_modules_exit_65_and_leave_no_output(string command)
    {
        var original = File.ReadAllBytes(Corpus.Get("recursion").BuildWasm(OptLevel.O0, 5).Path);
        var directory = RepoPaths.NewScratchDirectory("cli-postlink-fuzz");
        int malformed = 0;
        for (int seed = 0; seed < FuzzCases; seed++)
        {
            // Every tenth case is a plain truncation, which must always be malformed.
            var bytes = seed % 10 == 0 ? original[..(original.Length * seed / FuzzCases + 9)] : ByteMutator.Mutate(original, seed).Bytes;
            string path = Path.Combine(directory, $"case-{seed}.wasm"), output = Path.Combine(directory, $"out-{seed}.wasm");
            string debug = Path.Combine(directory, $"out-{seed}.debug.wasm");
            File.WriteAllBytes(path, bytes);
            var run = CliRun.Of([command, path, "-o", output, .. command == "split" ? new[] { "--debug-file", debug } : []]);
            var context = $"{command} seed {seed}: {run}";
            Assert.True(run.ExitCode is 0 or 65, context);
            if (seed % 10 == 0)
                Assert.True(run.ExitCode == 65, context);
            if (run.ExitCode == 65)
            {
                malformed++;
                Assert.StartsWith($"dwarfsmith: {path}: at 0x", run.Error, StringComparison.Ordinal);
                Assert.False(File.Exists(output) || File.Exists(debug), $"{context}: output left behind");
            }
            Assert.Equal(bytes, File.ReadAllBytes(path));
            foreach (var file in new[] { path, output, debug })
                File.Delete(file);
        }
        Assert.True(malformed >= FuzzCases / 10, $"only {malformed} of {FuzzCases} damaged modules were reported malformed");
        Assert.Empty(Directory.EnumerateFiles(directory, "*.tmp", new EnumerationOptions { AttributesToSkip = 0 }));
    }
}
