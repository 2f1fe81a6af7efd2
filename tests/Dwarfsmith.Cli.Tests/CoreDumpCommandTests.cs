using System.Text.Json;
using Dwarfsmith.Debugging.Tests;
using Dwarfsmith.TestSupport;
using Dwarfsmith.Wasm;
using Dwarfsmith.Wasm.CoreDumps;
using Xunit;

namespace Dwarfsmith.Cli.Tests;

/// <summary>
/// <c>dwarfsmith coredump</c> on dumps of corpus/pointers.c (-O0) with a frame in <c>push</c> called
/// from <c>main</c>: the module found beside the dump, text and JSON, print, and the module's DWARF in
/// a separate file made by <c>split</c> or the module made smaller by <c>compact</c>, which must
/// give the same output.
/// </summary>
public class CoreDumpCommandTests
{
    private const uint FramePointer = 60000;
    private const uint Node = 0x1FF00;

    private static string Folder(string name) =>
        Directory.CreateDirectory(Path.Combine(RepoPaths.Cache, "tmp", "coredump-cli", name)).FullName;

    /// <summary>Writes the module and a dump of it (push at its BREAK line, called from main) into a folder.</summary>
    internal static string WriteDump(string folder, string modulePath, string name = "pointers.wasm")
    {
        var module = WasmModule.ReadFile(modulePath);
        File.Copy(modulePath, Path.Combine(folder, name), overwrite: true);
        var program = Corpus.Get("pointers");
        var dump = new SyntheticDump(module);
        var (low, high) = SyntheticDump.FunctionRange(module, "push");
        dump.WriteInt32(FramePointer + 4, (int)Node);
        dump.WriteInt32(FramePointer + 8, 36);
        dump.WriteInt32(FramePointer + 12, 0);
        dump.WriteInt32(Node, 36);
        dump.AddFrame(SyntheticDump.AddressOfLine(module, program.BreakLine("push"), low, high),
            new Dictionary<int, CoreValue> { [1] = CoreValue.I32(36), [2] = CoreValue.I32((int)FramePointer) });
        var (mainLow, mainHigh) = SyntheticDump.FunctionRange(module, "main");
        dump.AddFrame(SyntheticDump.AddressOfLine(module, program.BreakLine("call_op") + 5, mainLow, mainHigh), withLocals: false);
        var path = Path.Combine(folder, "pointers.core");
        File.WriteAllBytes(path, CoreDumpWriter.Write(dump.Build(name)));
        return path;
    }

    private static string O0 => Corpus.Get("pointers").BuildWasm(OptLevel.O0).Path;

    [Fact]
    public void Text_shows_the_backtrace_the_variables_and_the_globals()
    {
        var dumpPath = WriteDump(Folder("text"), O0);
        var run = CliRun.Of("coredump", dumpPath);
        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = run.Output.Split('\n');
        var line = Corpus.Get("pointers").BreakLine("push");
        Assert.Matches($@"^#0  push \(head=0x0, value=36\) at .*pointers\.c:{line}:\d+$", lines[0]);
        Assert.Matches(@"^#1  main \(\) at .*pointers\.c:\d+:\d+$", lines[1]);
        Assert.Contains("  n = 0x1ff00", lines);
        Assert.Contains("Globals:", lines);
        Assert.Contains(lines, l => l.StartsWith("  i = <unavailable: frame base unknown: local ", StringComparison.Ordinal));
    }

    [Fact]
    public void Json_has_frames_variables_and_globals()
    {
        var dumpPath = WriteDump(Folder("json"), O0);
        var run = CliRun.Of("coredump", dumpPath, "--json");
        Assert.True(run.ExitCode == 0, run.ToString());
        using var document = JsonDocument.Parse(run.Output);
        var root = document.RootElement;
        Assert.Equal("pointers.wasm", root.GetProperty("module").GetString());
        var frame = root.GetProperty("frames")[0];
        Assert.Equal("push", frame.GetProperty("function").GetString());
        Assert.False(frame.GetProperty("inlined").GetBoolean());
        var n = frame.GetProperty("variables").EnumerateArray().Single(v => v.GetProperty("name").GetString() == "n");
        Assert.Equal(("local", "struct node *", "0x1ff00"), (n.GetProperty("kind").GetString(), n.GetProperty("type").GetString(), n.GetProperty("value").GetString()));
        Assert.True(root.GetProperty("globals").GetArrayLength() > 0);
    }

    [Theory]
    [InlineData("n->value", "0", "36")]
    [InlineData("*n", "0", "{value = 36, next = 0x0}")]
    [InlineData("value", "0", "36")]
    [InlineData("&value", "0", "(int32_t *) 0xea68")]
    public void Print_evaluates_in_a_frame(string expression, string frame, string expected)
    {
        var dumpPath = WriteDump(Folder("print"), O0);
        var run = CliRun.Of("coredump", dumpPath, "print", expression, "--frame", frame);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(expected, run.Output.TrimEnd('\n'));
    }

    [Fact]
    public void Print_of_an_unknown_name_is_a_usage_error()
    {
        var dumpPath = WriteDump(Folder("print-unknown"), O0);
        var run = CliRun.Of("coredump", dumpPath, "print", "nosuch");
        Assert.Equal(64, run.ExitCode);
        Assert.Contains("No symbol \"nosuch\" in current context.", run.Error);
    }

    [Fact]
    public void Separate_debug_file_gives_the_same_output()
    {
        var folder = Folder("split");
        var expected = CliRun.Of("coredump", WriteDump(Folder("split-reference"), O0));
        var split = CliRun.Of("split", O0, "-o", Path.Combine(folder, "stripped.wasm"), "--debug-file", Path.Combine(folder, "pointers.debug.wasm"));
        Assert.True(split.ExitCode == 0, split.ToString());
        var dumpPath = WriteDump(folder, O0);
        // The dump names pointers.wasm: the module without DWARF takes its place.
        File.Copy(Path.Combine(folder, "stripped.wasm"), Path.Combine(folder, "pointers.wasm"), overwrite: true);
        var run = CliRun.Of("coredump", dumpPath);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(expected.Output, run.Output);
    }

    [Fact]
    public void Debug_file_of_another_build_is_refused()
    {
        var folder = Folder("mismatch");
        var other = Corpus.Get("pointers").BuildWasm(OptLevel.O2).Path;
        Assert.Equal(0, CliRun.Of("split", O0, "-o", Path.Combine(folder, "stripped.wasm"), "--debug-file", Path.Combine(folder, "pointers.debug.wasm")).ExitCode);
        var otherFolder = Folder("mismatch-other");
        Assert.Equal(0, CliRun.Of("split", other, "-o", Path.Combine(otherFolder, "stripped.wasm"), "--debug-file", Path.Combine(otherFolder, "pointers.debug.wasm")).ExitCode);
        File.Copy(Path.Combine(otherFolder, "pointers.debug.wasm"), Path.Combine(folder, "pointers.debug.wasm"), overwrite: true);
        var dumpPath = WriteDump(folder, O0);
        File.Copy(Path.Combine(folder, "stripped.wasm"), Path.Combine(folder, "pointers.wasm"), overwrite: true);
        var run = CliRun.Of("coredump", dumpPath);
        Assert.Equal(65, run.ExitCode);
        Assert.Contains("is not the debug file of", run.Error);
        Assert.Contains("build id", run.Error);
    }

    [Fact]
    public void Compacted_module_gives_the_same_output()
    {
        var folder = Folder("compact");
        var expected = CliRun.Of("coredump", WriteDump(Folder("compact-reference"), O0));
        var compacted = Path.Combine(folder, "compacted.wasm");
        var compact = CliRun.Of("compact", O0, "-o", compacted);
        Assert.True(compact.ExitCode == 0, compact.ToString());
        Assert.True(new FileInfo(compacted).Length < new FileInfo(O0).Length);
        // The dump's code offsets are the compacted module's: it is built from that module's line table.
        var run = CliRun.Of("coredump", WriteDump(folder, compacted));
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(expected.Output, run.Output);
    }

    [Fact]
    public void Wasmtime_style_dump_without_locals_or_instances_shows_why_values_are_unavailable()
    {
        var folder = Folder("wasmtime");
        var written = CoreDumpReader.Read(File.ReadAllBytes(WriteDump(folder, O0)));
        // Wasmtime writes no locals, and may leave coremodules and coreinstances out: the module is then found by the name in core.
        var dump = new CoreDump
        {
            ExecutableName = "pointers.wasm",
            Threads = [new CoreThread("main", [.. written.Threads[0].Frames.Select(f => f with { Locals = [], Stack = [] })])],
            Memories = written.Memories,
            Globals = written.Globals,
        };
        var path = Path.Combine(folder, "wasmtime.core");
        File.WriteAllBytes(path, CoreDumpWriter.Write(dump));
        var run = CliRun.Of("coredump", path);
        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = run.Output.Split('\n');
        Assert.StartsWith("#0  push (head=<unavailable>, value=<unavailable>) at ", lines[0], StringComparison.Ordinal);
        Assert.Contains("  n = <unavailable: frame base unknown: local 2 is missing in the dump (the dump records no locals for this frame)>", lines);
        Assert.Contains(lines, l => l.StartsWith("  __stdout_used = 0x", StringComparison.Ordinal));
    }

    [Fact]
    public void Missing_module_exits_66()
    {
        var folder = Folder("missing");
        var dumpPath = WriteDump(folder, O0);
        File.Delete(Path.Combine(folder, "pointers.wasm"));
        var run = CliRun.Of("coredump", dumpPath);
        Assert.Equal(66, run.ExitCode);
        Assert.Contains("--module", run.Error);
        Assert.Equal(0, CliRun.Of("coredump", dumpPath, "--module", O0).ExitCode);
    }
}
