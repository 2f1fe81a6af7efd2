using Dwarfsmith.Elf;
using Dwarfsmith.TestSupport;
using Xunit;

namespace Dwarfsmith.Aot.Tests;

/// <summary>
/// <see cref="NativeDebugFiles"/> on a host build of a corpus program (clang-22, DWARF 5, a
/// build-id): its DWARF removed by llvm-objcopy and given back through the component (identity), in
/// the executable and in a separate debug file; checked by llvm-dwarfdump --verify, by running it, and
/// by gdb and lldb-22 placing a breakpoint by file:line and showing the locals there, with the debug
/// file found through the debuglink (beside the executable, in <c>.debug/</c>) and through the build-id
/// (under gdb's debug-file-directory, lldb's debug-file-search-paths, and lldb's <c>target symbols add</c>;
/// neither finds it untold).
/// </summary>
public sealed class NativeDebugFilesTests
{
    private const string ProgramName = "strings";
    private const string BreakLabel = "token";
    private const string Local = "count";
    private static readonly TimeSpan DebuggerTimeout = TimeSpan.FromSeconds(120);

    /// <summary>Where the debug file is put for the debuggers to find.</summary>
    public enum Lookup
    {
        Beside,
        DebugFolder,
        BuildId,
    }

    [SkippableTheory]
    [InlineData("objcopy")]
    [InlineData("llvm-objcopy")]
    public void Replaced_sections_verify_run_and_debug_in_gdb(string objcopy)
    {
        HostCapabilities.Ptrace.SkipUnlessAvailable();
        using var scratch = new Scratch();
        var (original, sections) = HostBuild(scratch);
        // Sections that must survive as they are: the AOT's code offset table, and .eh_frame.
        var table = scratch.Path("table");
        File.WriteAllBytes(table, [1, 2, 3, 4, 5, 6, 7, 8]);
        var input = scratch.Path("input");
        ProcessRunner.Run(Objcopy, ["--strip-debug", "--add-section", $"{NativeCodeOffsetTable.SectionName}={table}", original, input]).EnsureSuccess();
        Assert.DoesNotContain(ElfFile.Read(File.ReadAllBytes(input)).Sections, s => s.Name.StartsWith(".debug_", StringComparison.Ordinal));
        var inputBytes = File.ReadAllBytes(input);

        var output = scratch.Path("replaced");
        NativeDebugFiles.ReplaceDebugSections(input, sections, output, Toolchain.Require(objcopy));

        Assert.Equal(inputBytes, File.ReadAllBytes(input));
        var elf = ElfFile.Read(File.ReadAllBytes(output));
        foreach (var (name, contents) in sections)
            Assert.True(elf.FindSection(name)?.Data.Span.SequenceEqual(contents.Span), $"{name} differs");
        var before = ElfFile.Read(inputBytes);
        foreach (var name in new[] { NativeCodeOffsetTable.SectionName, ".eh_frame", ".text" })
            Assert.True(before.FindSection(name)!.Data.Span.SequenceEqual(elf.FindSection(name)!.Data.Span), $"{name} changed");
        // The linker's tail-merged .debug_str already draws complaints about the original: no new ones.
        DwarfVerify.AssertNoNewErrors(original, output);
        AssertRunsAsOriginal(original, output);
        AssertGdbStopsWithLocals(output, debugFileDirectory: null);
    }

    [SkippableTheory]
    [InlineData(Lookup.Beside)]
    [InlineData(Lookup.DebugFolder)]
    [InlineData(Lookup.BuildId)]
    public void Separate_debug_file_is_found_by_gdb_and_lldb(Lookup lookup)
    {
        HostCapabilities.Ptrace.SkipUnlessAvailable();
        using var scratch = new Scratch();
        var (original, sections) = HostBuild(scratch);
        var originalBytes = File.ReadAllBytes(original);
        Assert.True(NativeDebugFiles.TryReadBuildId(original, out var buildId), "the host build has no build-id");

        var directory = Directory.CreateDirectory(scratch.Path("bin")).FullName;
        var executable = Path.Combine(directory, ProgramName);
        var debugDirectory = scratch.Path("debug-files");
        var debugFile = lookup switch
        {
            Lookup.Beside => executable + ".debug",
            Lookup.DebugFolder => Path.Combine(directory, ".debug", ProgramName + ".debug"),
            _ => Path.Combine(debugDirectory, NativeDebugFiles.BuildIdDebugPath(buildId)),
        };
        NativeDebugFiles.WriteWithDebugFile(original, sections, executable, debugFile);

        Assert.Equal(originalBytes, File.ReadAllBytes(original));
        var stripped = ElfFile.Read(File.ReadAllBytes(executable));
        Assert.DoesNotContain(stripped.Sections, s => s.Name.StartsWith(".debug_", StringComparison.Ordinal));
        Assert.NotNull(stripped.FindSection(".gnu_debuglink"));
        Assert.True(NativeDebugFiles.TryReadBuildId(debugFile, out var debugBuildId));
        Assert.Equal(buildId, debugBuildId);
        DwarfVerify.AssertNoNewErrors(original, debugFile);
        AssertRunsAsOriginal(original, executable);

        var searchDirectory = lookup == Lookup.BuildId ? debugDirectory : null;
        AssertGdbStopsWithLocals(executable, searchDirectory);
        AssertLldbStopsWithLocals(executable, searchDirectory);
        if (lookup == Lookup.BuildId)
        {
            // Not by chance: without the directory, neither finds anything.
            var (gdbStopped, gdbOutput) = GdbStopsWithLocals(executable, null);
            Assert.False(gdbStopped, $"gdb found the debug file without being told where:\n{gdbOutput}");
            var (lldbStopped, lldbOutput) = LldbStopsWithLocals(executable, null, null);
            Assert.False(lldbStopped, $"lldb found the debug file without being told where:\n{lldbOutput}");
            // Given by hand, lldb takes it because the build-ids match.
            var (added, addedOutput) = LldbStopsWithLocals(executable, null, debugFile);
            Assert.True(added, $"lldb did not take the debug file from `target symbols add`:\n{addedOutput}");
        }
    }

    [Fact]
    public void Section_names_other_than_dwarf_are_refused()
    {
        var sections = new Dictionary<string, ReadOnlyMemory<byte>> { [".text"] = new byte[] { 0 } };
        Assert.Throws<ArgumentException>(() => NativeDebugFiles.ReplaceDebugSections("/nonexistent", sections, "/nonexistent.out"));
    }

    [Fact]
    public void Build_id_path_names_a_folder_by_the_first_byte()
    {
        Assert.Equal(Path.Combine(".build-id", "ab", "cdef01.debug"), NativeDebugFiles.BuildIdDebugPath([0xAB, 0xCD, 0xEF, 0x01]));
    }

    private static string Objcopy => Toolchain.Require("llvm-objcopy");

    private static CorpusProgram Program => Corpus.Get(ProgramName);

    /// <summary>A copy of the host build in the scratch folder, and its DWARF sections by name.</summary>
    private static (string Executable, Dictionary<string, ReadOnlyMemory<byte>> Sections) HostBuild(Scratch scratch)
    {
        var build = Program.Build(CompileOptions.Host(OptLevel.O0, dwarfVersion: 5) with { Flags = ["-Wl,--build-id"] });
        var executable = scratch.Path(ProgramName + "-original");
        File.Copy(build.Path, executable);
        var sections = ElfFile.Read(File.ReadAllBytes(executable)).Sections
            .Where(s => s.Name.StartsWith(".debug_", StringComparison.Ordinal))
            .ToDictionary(s => s.Name, s => s.Data);
        Assert.Contains(".debug_info", sections.Keys);
        return (executable, sections);
    }

    private static void AssertRunsAsOriginal(string original, string executable)
    {
        var expected = Program.RunHost(original);
        var actual = Program.RunHost(executable);
        Assert.Equal(expected.StandardOutput, actual.StandardOutput);
        Assert.Equal(expected.ExitCode, actual.ExitCode);
    }

    private static string Location => $"{Path.GetFileName(Program.SourcePath)}:{Program.BreakLine(BreakLabel)}";

    private static void AssertGdbStopsWithLocals(string executable, string? debugFileDirectory)
    {
        var (stopped, output) = GdbStopsWithLocals(executable, debugFileDirectory);
        Assert.True(stopped, $"gdb did not stop at {Location} with its locals:\n{output}");
    }

    private static (bool Stopped, string Output) GdbStopsWithLocals(string executable, string? debugFileDirectory)
    {
        List<string> arguments = ["-batch", "-nx"];
        if (debugFileDirectory is not null)
            arguments.AddRange(["-iex", $"set debug-file-directory {debugFileDirectory}"]);
        arguments.AddRange(["-ex", $"break {Location}", "-ex", "run > /dev/null", "-ex", "info locals", executable]);
        var run = ProcessRunner.Run(Toolchain.Gdb, arguments, new ProcessOptions { Timeout = DebuggerTimeout });
        var output = run.StandardOutput + run.StandardError;
        return (output.Contains("Breakpoint 1, main", StringComparison.Ordinal) && output.Contains($"\n{Local} = ", StringComparison.Ordinal), run.Describe());
    }

    private static void AssertLldbStopsWithLocals(string executable, string? searchDirectory)
    {
        var (stopped, output) = LldbStopsWithLocals(executable, searchDirectory, null);
        Assert.True(stopped, $"lldb did not stop at {Location} with its locals:\n{output}");
    }

    /// <summary>lldb-22 with the debug-file search path set, or the symbol file added by hand (<c>target symbols add</c>), or neither.</summary>
    private static (bool Stopped, string Output) LldbStopsWithLocals(string executable, string? searchDirectory, string? symbolFile)
    {
        List<string> arguments = ["-b", "--no-lldbinit"];
        if (searchDirectory is not null)
            arguments.AddRange(["-o", $"settings set target.debug-file-search-paths {searchDirectory}"]);
        arguments.AddRange(["-o", $"target create {executable}"]);
        if (symbolFile is not null)
            arguments.AddRange(["-o", $"target symbols add {symbolFile}"]);
        arguments.AddRange([
            "-o", $"breakpoint set --file {Path.GetFileName(Program.SourcePath)} --line {Program.BreakLine(BreakLabel)}",
            "-o", "process launch --stdout /dev/null",
            "-o", "frame variable",
        ]);
        var run = ProcessRunner.Run(Toolchain.Lldb, arguments, new ProcessOptions { Timeout = DebuggerTimeout });
        var output = run.StandardOutput + run.StandardError;
        return (output.Contains("stop reason = breakpoint 1.1", StringComparison.Ordinal) && output.Contains($" {Local} = ", StringComparison.Ordinal), run.Describe());
    }

    /// <summary>A scratch folder, deleted at the end.</summary>
    private sealed class Scratch : IDisposable
    {
        private readonly string _directory = RepoPaths.NewScratchDirectory("native-debug");

        public string Path(string name) => System.IO.Path.Combine(_directory, name);

        public void Dispose() => Directory.Delete(_directory, recursive: true);
    }
}
