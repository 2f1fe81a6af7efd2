using Dwarfsmith.TestSupport;
using Dwarfsmith.Wasm;
using Xunit;

namespace Dwarfsmith.Cli.Tests;

/// <summary>The rewrite command: the identity by default, conversion on request, and damaged DWARF answered with 65.</summary>
public class RewriteCommandTests
{
    private const int Cases = 300;

    [Fact]
    public void Rewrite_writes_a_module_with_the_same_code_and_converts_on_request()
    {
        var input = Corpus.Get("structs").BuildWasm(OptLevel.O2, 5).Path;
        var directory = RepoPaths.NewScratchDirectory("cli-rewrite");
        var output = Path.Combine(directory, "out.wasm");
        var run = CliRun.Of("rewrite", input, "-o", output, "--dwarf-version", "4");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("DWARF", run.Output, StringComparison.Ordinal);
        var before = WasmModule.ReadFile(input);
        var after = WasmModule.ReadFile(output);
        Assert.Equal(before.CodeSection!.Content.ToArray(), after.CodeSection!.Content.ToArray());
        var dump = ProcessRunner.Run(Toolchain.LlvmDwarfdump, ["--debug-info", output]).EnsureSuccess().StandardOutput;
        Assert.DoesNotContain("version = 0x0005", dump, StringComparison.Ordinal);
        Assert.Equal(64, CliRun.Of("rewrite", input, "-o", output, "--dwarf-version", "3").ExitCode);
    }

    [Fact]
    public void Damaged_dwarf_exits_65_and_leaves_no_output()
    {
        var original = File.ReadAllBytes(Corpus.Get("recursion").BuildWasm(OptLevel.O2, 5).Path);
        var debugRanges = WasmModule.Read(original).DebugSections
            .Select(s => (Start: (int)s.ContentOffset, s.Content.Length))
            .ToList();
        var directory = RepoPaths.NewScratchDirectory("cli-rewrite-fuzz");
        var malformed = 0;
        for (var seed = 0; seed < Cases; seed++)
        {
            var random = new Random(seed);
            var bytes = (byte[])original.Clone();
            var (start, length) = debugRanges[random.Next(debugRanges.Count)];
            for (int i = random.Next(1, 5); i > 0; i--)
                bytes[start + random.Next(length)] = (byte)random.Next(256);
            var path = Path.Combine(directory, $"case-{seed}.wasm");
            var output = Path.Combine(directory, $"out-{seed}.wasm");
            File.WriteAllBytes(path, bytes);
            var run = CliRun.Of("rewrite", path, "-o", output);
            var context = $"seed {seed}: {run}";
            Assert.True(run.ExitCode is 0 or 65, context);
            if (run.ExitCode == 65)
            {
                malformed++;
                Assert.Matches($@"^dwarfsmith: {System.Text.RegularExpressions.Regex.Escape(path)}: at 0x[0-9A-F]+ in \.debug_\w+: .+", run.Error);
                Assert.False(File.Exists(output), $"{context}: a failed rewrite left {output} behind");
            }

            Assert.Equal(bytes, File.ReadAllBytes(path));
            File.Delete(path);
            File.Delete(output);
        }

        Assert.True(malformed > Cases / 10, $"only {malformed} of {Cases} damaged modules were reported malformed");
    }
}
