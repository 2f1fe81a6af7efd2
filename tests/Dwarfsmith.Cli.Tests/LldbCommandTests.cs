using System.Text.RegularExpressions;
using Dwarfsmith.TestSupport;
using Xunit;

namespace Dwarfsmith.Cli.Tests;

/// <summary>
/// <c>dwarfsmith lldb</c> in-process: lldb-22 with the extension on an <c>aot -g</c> build of
/// corpus/pointers.c prints, for the pointer expressions a user types with nothing typed first, what
/// lldb-22 alone prints on the native build (clang-22 -g) of the same C (addresses blanked).
/// </summary>
public partial class LldbCommandTests
{
    // At the print_node label (label is "list", head and n the list's first node), then in main.
    // Commands whose output depends on the data layout (x/4dw through a node: a native node is 16
    // bytes) are not among them.
    private static readonly string[] s_commands =
    [
        "frame variable", "p *n", "p n->next->value", "p n->next->next->value", "p label", "p *label", "p label[1]",
        "v *n", "v n->next->value label",
        "x/1dw n", "p n = n->next", "p n->value", "up", "p names[1]", "p *names[2]", "p data[7]", "x/4dw q", "p sum = 7", "p sum",
    ];

    [SkippableFact]
    public void Pointer_expressions_print_what_lldb_prints_natively()
    {
        HostCapabilities.Ptrace.SkipUnlessAvailable();
        var program = Corpus.Get("pointers");
        string[] zeroLocals = ["-ftrivial-auto-var-init=zero"];
        var wasm = program.Build(CompileOptions.Wasm(OptLevel.O0) with { Flags = zeroLocals }).Path;
        var native = program.Build(CompileOptions.Host(OptLevel.O0) with { Flags = zeroLocals }).Path;
        var directory = RepoPaths.NewScratchDirectory("cli-lldb");
        try
        {
            var executable = Path.Combine(directory, "pointers");
            var aot = CliRun.Of("aot", wasm, "-o", executable, "-g", "-O0");
            Assert.True(aot.ExitCode == 0, aot.ToString());
            string[] breakAndRun = ["-o", $"breakpoint set --file pointers.c --line {program.Breakpoints["print_node"]}", "-o", "run"];
            string[] lines = [.. breakAndRun, .. s_commands.SelectMany(command => new[] { "-o", command })];

            var run = CliRun.Of(["lldb", "-b", .. lines, executable]);
            Assert.True(run.ExitCode == 0, run.ToString());
            // The extension's code runs inside lldb (providers while it shows values): what Python
            // raised there only shows in the output.
            foreach (var mark in new[] { "Traceback (most recent call last)", "Error in sys.excepthook", "RecursionError" })
                Assert.False((run.Output + run.Error).Contains(mark, StringComparison.Ordinal), run.ToString());
            var expected = ProcessRunner.Run(Toolchain.Lldb, ["-b", .. lines, native]);
            Assert.True(expected.ExitCode == 0, expected.ToString());

            var nativeOutputs = Outputs(expected.StandardOutput);
            var aotOutputs = Outputs(run.Output);
            foreach (var command in s_commands.Where(command => command != "up"))
            {
                var (expectedOutput, actualOutput) = (nativeOutputs[command], aotOutputs[command]);
                // p of a member through a pointer to const: lldb's expression evaluator, which
                // natively answers it, const-qualifies the member (n is const node *): the
                // extension's p shows the member's declared type (DebugInfoLldbTests states the rule).
                if (command.StartsWith("p ", StringComparison.Ordinal) && command.Contains("->", StringComparison.Ordinal) && !command.Contains('=', StringComparison.Ordinal))
                    expectedOutput = expectedOutput.Replace("(const ", "(", StringComparison.Ordinal).Replace(" *const)", " *)", StringComparison.Ordinal);
                Assert.True(expectedOutput == actualOutput, $"{command}\nnative:\n{expectedOutput}\ndwarfsmith lldb:\n{actualOutput}");
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void A_missing_executable_is_66()
    {
        var run = CliRun.Of("lldb", "/nonexistent/program");
        Assert.True(run.ExitCode == 66, run.ToString());
    }

    /// <summary>What lldb printed after each <c>(lldb) COMMAND</c> echo of a batch run, addresses blanked.</summary>
    private static Dictionary<string, string> Outputs(string transcript)
    {
        var outputs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var block in transcript.Split("(lldb) ").Skip(1))
        {
            var newline = block.IndexOf('\n', StringComparison.Ordinal);
            var command = newline < 0 ? block : block[..newline];
            outputs[command.Trim()] = Address().Replace(newline < 0 ? "" : block[(newline + 1)..], "0x…").Trim();
        }

        return outputs;
    }

    // An address as lldb prints pointers (16 digits) and x lists memory (any width), and x's columns.
    [GeneratedRegex(@"0x[0-9a-f]+")]
    private static partial Regex Address();
}
