using System.Text.RegularExpressions;
using Xunit;

namespace Dwarfsmith.TestSupport.Tests;

/// <summary>The corpus itself: metadata, labels, host builds with both compilers, object files.</summary>
public partial class CorpusHostTests
{
    private static readonly string[] s_required =
    [
        "structs", "arrays", "pointers", "statics", "recursion", "floats", "switches", "inline", "loops",
        "varargs", "exit_code", "args_env", "file_io",
    ];

    [Fact]
    public void Corpus_has_the_programs_debuggers_need()
    {
        var names = Corpus.Programs.Select(p => p.Name).ToArray();
        foreach (var name in s_required)
        {
            Assert.Contains(name, names);
        }

        Assert.Contains(Corpus.Programs, p => p.ExpectedExitCode != 0);
        Assert.Contains(Corpus.Programs, p => p.Args.Count > 0 && p.Environment.Count > 0);
        Assert.Contains(Corpus.Programs, p => p.NeedsWorkingDirectory);
        Assert.Equal(Corpus.Programs.Count * Corpus.StandardVariants.Count, Corpus.ProgramVariants.Count);
        Assert.Equal(TestRun.Long ? 4 : 3, Corpus.StandardVariants.Count);
        Assert.Subset(Corpus.AllVariants.ToHashSet(), Corpus.StandardVariants.ToHashSet());
    }

    [Theory]
    [MemberData(nameof(Corpus.ProgramNames), MemberType = typeof(Corpus))]
    public void Program_has_description_and_break_labels_on_real_lines(string name)
    {
        var program = Corpus.Get(name);
        Assert.False(string.IsNullOrWhiteSpace(program.Description), $"{name}.c lacks @description");
        Assert.NotEmpty(program.Breakpoints);
        var lines = File.ReadAllLines(program.SourcePath);
        foreach (var (label, line) in program.Breakpoints)
        {
            var text = lines[line - 1];
            Assert.Contains($"BREAK: {label}", text, StringComparison.Ordinal);
            // A label marks a statement, not a comment-only line.
            Assert.Matches(CodeBeforeComment(), text);
        }
    }

    [Fact]
    public void Program_metadata_is_parsed()
    {
        var args = Corpus.Get("args_env");
        Assert.Equal(["alpha", "two words", "42"], args.Args);
        Assert.Equal("hello from env", args.Environment["DWARFSMITH_GREETING"]);
        Assert.Equal(3, Corpus.Get("exit_code").ExpectedExitCode);
        Assert.True(Corpus.Get("file_io").NeedsWorkingDirectory);
        Assert.Equal(Corpus.Get("structs").Breakpoints["rect_area"], Corpus.Get("structs").BreakLine("rect_area"));
        Assert.Throws<KeyNotFoundException>(() => Corpus.Get("structs").BreakLine("no_such_label"));
    }

    [Theory]
    [MemberData(nameof(Corpus.ProgramNames), MemberType = typeof(Corpus))]
    public void Host_builds_with_clang_and_gcc_agree(string name)
    {
        var program = Corpus.Get(name);
        var clang = program.RunHost(program.Build(CompileOptions.Host(OptLevel.O0)).Path);
        var gcc = program.RunHost(program.Build(CompileOptions.Host(OptLevel.O2, 5, CompileTarget.HostGcc)).Path);

        Assert.True(program.ExpectedExitCode == clang.ExitCode, clang.Describe());
        Assert.Equal(clang.ExitCode, gcc.ExitCode);
        Assert.Equal(clang.StandardOutput, gcc.StandardOutput);
    }

    /// <summary>The ILP32 host build (like wasm32) behaves as the 64-bit one: where the kernel runs 32-bit programs.</summary>
    [SkippableTheory]
    [MemberData(nameof(Corpus.ProgramNames), MemberType = typeof(Corpus))]
    public void Host_32_bit_build_agrees_with_the_64_bit_build(string name)
    {
        HostCapabilities.Execute32Bit.SkipUnlessAvailable();
        var program = Corpus.Get(name);
        var clang = program.RunHost(program.Build(CompileOptions.Host(OptLevel.O0)).Path);
        var clang32 = program.RunHost(program.Build(CompileOptions.Host(OptLevel.O2) with { Host32 = true }).Path);

        Assert.Equal(clang.ExitCode, clang32.ExitCode);
        Assert.Equal(clang.StandardOutput, clang32.StandardOutput);
    }

    [Theory]
    [InlineData("structs", 4)]
    [InlineData("recursion", 5)]
    public void Wasm_object_file_has_relocations_and_the_requested_dwarf(string name, int dwarfVersion)
    {
        var program = Corpus.Get(name);
        var obj = program.Build(CompileOptions.Wasm(OptLevel.O2, dwarfVersion) with { ObjectOnly = true });
        Assert.EndsWith(".o", obj.Path, StringComparison.Ordinal);

        var headers = ProcessRunner.Run(Toolchain.WasmObjdump, ["-h", obj.Path]).EnsureSuccess().StandardOutput;
        Assert.Contains("reloc.CODE", headers, StringComparison.Ordinal);
        Assert.Contains("reloc..debug_info", headers, StringComparison.Ordinal);
        Assert.Contains("linking", headers, StringComparison.Ordinal);

        var info = ProcessRunner.Run(Toolchain.LlvmDwarfdump, ["--debug-info", obj.Path]).EnsureSuccess().StandardOutput;
        Assert.Contains($"version = 0x000{dwarfVersion}", info, StringComparison.Ordinal);
        Assert.Contains($"{name}.c", info, StringComparison.Ordinal);
    }

    [Fact]
    public void Wasm_object_files_link_into_a_module_that_runs_like_the_direct_build()
    {
        var program = Corpus.Get("pointers");
        var obj = program.Build(CompileOptions.Wasm(OptLevel.O2) with { ObjectOnly = true });
        var linked = CCompiler.Compile([obj.Path], CompileOptions.Wasm(OptLevel.O2));
        Assert.EndsWith("pointers.wasm", linked.Path, StringComparison.Ordinal);
        var direct = program.BuildWasm(OptLevel.O2);
        Assert.NotEqual(direct.Key, linked.Key);
        Assert.Equal(program.RunWasm(direct.Path).StandardOutput, program.RunWasm(linked.Path).EnsureSuccess().StandardOutput);

        // wasm-ld flags pass through: a stripped, relocation-compressed link.
        var compressed = CCompiler.Compile([obj.Path], CompileOptions.Wasm(OptLevel.O2) with
        {
            Flags = ["-Wl,--compress-relocations,--strip-debug"],
            OutputName = "pointers-compressed.wasm",
        });
        Assert.True(new FileInfo(compressed.Path).Length < new FileInfo(linked.Path).Length);
        Assert.Equal(program.RunWasm(direct.Path).StandardOutput, program.RunWasm(compressed.Path).EnsureSuccess().StandardOutput);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public void Linked_wasm_has_the_requested_dwarf_version_for_our_unit(int dwarfVersion)
    {
        var wasm = Corpus.Get("loops").BuildWasm(OptLevel.O0, dwarfVersion);
        var info = ProcessRunner.Run(Toolchain.LlvmDwarfdump, ["--debug-info", "--show-children=false", wasm.Path])
            .EnsureSuccess().StandardOutput;
        // Each unit header line ("... version = 0x0004 ...") is followed by its DW_TAG_compile_unit; find ours.
        var units = info.Split("Compile Unit:", StringSplitOptions.RemoveEmptyEntries);
        var ours = Assert.Single(units, u => u.Contains("loops.c", StringComparison.Ordinal));
        Assert.Contains($"version = 0x000{dwarfVersion}", ours, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Corpus.ProgramNames), MemberType = typeof(Corpus))]
    public void Break_labels_have_statement_rows_in_the_O0_line_table(string name)
    {
        var program = Corpus.Get(name);
        var obj = program.Build(CompileOptions.Wasm(OptLevel.O0) with { ObjectOnly = true });
        var dump = ProcessRunner.Run(Toolchain.LlvmDwarfdump, ["--debug-line", obj.Path]).EnsureSuccess().StandardOutput;
        var statementLines = LineRow().Matches(dump).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToHashSet();
        Assert.NotEmpty(statementLines);
        foreach (var (label, line) in program.Breakpoints)
        {
            Assert.True(statementLines.Contains(line), $"{name}.c:{line} (BREAK: {label}) has no is_stmt row at -O0");
        }
    }

    [Fact]
    public void Readme_lists_every_program()
    {
        var readme = File.ReadAllText(Path.Combine(RepoPaths.Corpus, "README.md"));
        foreach (var program in Corpus.Programs)
        {
            Assert.Contains($"`{program.Name}.c`", readme, StringComparison.Ordinal);
        }
    }

    [GeneratedRegex(@"^0x[0-9a-f]+\s+(\d+)\s+\d+\s+\d+\s+.*\bis_stmt\b", RegexOptions.Multiline)]
    private static partial Regex LineRow();

    [GeneratedRegex(@"^\s*[^/\s*].*/\*\s*BREAK:")]
    private static partial Regex CodeBeforeComment();
}
