using Dwarfsmith.TestSupport;
using Dwarfsmith.Tools.PostLink;
using Dwarfsmith.Wasm;
using Xunit;

namespace Dwarfsmith.PostLink.Tests;

/// <summary>
/// split and strip against the real tools. What lldb-22 does with a split module, found by these
/// tests: it follows <c>external_debug_info</c> by itself when the link is an absolute path, or when
/// a file of the link's name lies beside the main module (or in the current folder): a relative link
/// into another folder is not resolved against the main module's folder. Plain
/// <c>target symbols add DEBUG</c> fails ("does not match any existing module": lldb gives wasm
/// modules no UUID, so the build id plays no part), but <c>target symbols add -s MAIN DEBUG</c> works.
/// </summary>
public class SplitStripTests
{
    [Theory]
    [InlineData("structs", OptLevel.O0, 4)]
    [InlineData("recursion", OptLevel.O2, 5)]
    public void Lldb_finds_the_debug_file_through_external_debug_info(string name, OptLevel opt, int dwarfVersion)
    {
        var program = Corpus.Get(name);
        var input = program.BuildWasm(opt, dwarfVersion).Path;
        string directory = RepoPaths.NewScratchDirectory("split");
        var lines = program.Breakpoints.Values.ToList();
        var expected = LldbBreakpoints.Resolve(input, name + ".c", lines);
        Assert.NotEmpty(expected);

        // The debug file in another folder, linked by its absolute path.
        string elsewhere = Path.Combine(directory, "debug", name + ".debug.wasm");
        Directory.CreateDirectory(Path.GetDirectoryName(elsewhere)!);
        string linkedAbsolutely = Path.Combine(directory, name + ".absolute.wasm");
        var absolute = DebugInfoSplitter.Split(WasmModule.ReadFile(input), elsewhere);
        File.WriteAllBytes(linkedAbsolutely, absolute.Main);
        File.WriteAllBytes(elsewhere, absolute.Debug);
        Assert.Equal(expected, LldbBreakpoints.Resolve(linkedAbsolutely, name + ".c", lines));

        // The debug file beside the main module, linked by its relative path (the CLI's default).
        string main = Path.Combine(directory, name + ".wasm"), debug = Path.Combine(directory, name + ".debug.wasm");
        var split = DebugInfoSplitter.Split(WasmModule.ReadFile(input), DebugInfoSplitter.RelativeLink(main, debug));
        File.WriteAllBytes(main, split.Main);
        File.WriteAllBytes(debug, split.Debug);
        ProcessRunner.Run(Toolchain.WasmValidate, [main]).EnsureSuccess();
        ProcessRunner.Run(Toolchain.WasmValidate, [debug]).EnsureSuccess();
        Assert.Equal(name + ".debug.wasm", WasmModule.ReadFile(main).ExternalDebugInfo);
        Assert.Equal(expected, LldbBreakpoints.Resolve(main, name + ".c", lines));

        // Without the link, lldb finds nothing by itself, and takes the file when told which module it belongs to.
        string unlinked = Path.Combine(directory, name + ".unlinked.wasm");
        File.WriteAllBytes(unlinked, DebugInfoStripper.Strip(WasmModule.Read(split.Main), new StripOptions(KeepNameSection: true)));
        Assert.Empty(LldbBreakpoints.Resolve(unlinked, name + ".c", lines));
        Assert.Equal(expected, LldbBreakpoints.Resolve(unlinked, name + ".c", lines, $"target symbols add -s \"{unlinked}\" \"{debug}\""));

        var before = program.RunWasm(input);
        var after = program.RunWasm(main);
        Assert.Equal((before.ExitCode, before.StandardOutput, before.StandardError), (after.ExitCode, after.StandardOutput, after.StandardError));
    }

    [Fact]
    public void Compact_and_split_in_one_step_gives_lldb_the_mapped_addresses()
    {
        var program = Corpus.Get("structs");
        var linked = LinkedTwice.Program(program, OptLevel.O2, 4);
        string directory = RepoPaths.NewScratchDirectory("compact-split");
        string main = Path.Combine(directory, "structs.wasm"), debug = Path.Combine(directory, "structs.debug.wasm");
        var input = WasmModule.ReadFile(linked.Module);
        var split = DebugInfoSplitter.Split(ModuleCompactor.Build(input).Builder, input.BuildId?.Length, "structs.debug.wasm");
        File.WriteAllBytes(main, split.Main);
        File.WriteAllBytes(debug, split.Debug);

        CompactionOracles.AssertSameSectionsAsWasmLd(main, linked.Compressed);
        var map = CompactionOracles.AssertSameInstructions(linked.Module, debug);
        CompactionOracles.AssertBreakpointsMoved(linked.Module, main, map, "structs.c", [.. program.Breakpoints.Values]);
        DwarfVerify.AssertNoNewErrors(linked.Module, debug);
    }

    [Theory]
    [InlineData(false, "--strip-debug", "--remove-section=name")]
    [InlineData(true, "--strip-debug")]
    public void Strip_removes_what_llvm_strip_removes_byte_for_byte(bool keepNameSection, params string[] llvmStripOptions)
    {
        var input = Corpus.Get("strings").BuildWasm(OptLevel.O2, 5).Path;
        string expected = CompactionOracles.Scratch($"strings-llvm-strip-{keepNameSection}.wasm");
        ProcessRunner.Run(Toolchain.Require("llvm-strip"), [.. llvmStripOptions, input, "-o", expected]).EnsureSuccess();
        var stripped = DebugInfoStripper.Strip(WasmModule.ReadFile(input), new StripOptions(keepNameSection));
        Assert.Equal(File.ReadAllBytes(expected), stripped);
    }
}
