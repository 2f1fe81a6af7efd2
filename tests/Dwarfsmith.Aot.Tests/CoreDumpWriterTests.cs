using Dwarfsmith.Debugging.CoreDumps;
using Dwarfsmith.TestSupport;
using Dwarfsmith.Wasm;
using Dwarfsmith.Wasm.CoreDumps;
using Xunit;

namespace Dwarfsmith.Aot.Tests;

/// <summary>
/// Where an <c>aot --coredump-on-trap</c> executable writes its dump, and when it does not: the
/// runtime's own option, then <c>$DWARFSMITH_COREDUMP</c>, then <c>&lt;module&gt;.coredump</c> in the
/// current directory; nothing for a program that exits normally; nothing half-written when the
/// dump cannot be written, with the trap reported and the exit status 134 all the same.
/// </summary>
public sealed class CoreDumpWriterTests
{
    private static readonly string Divide = Path.Combine(RepoPaths.Root, "corpus", "traps", "divide.c");

    private static string Build(string source, bool debugInfo = false, string compiler = "clang-22", int level = 0)
    {
        var wasm = CCompiler.Compile(source, CompileOptions.Wasm(OptLevel.O0)).Path;
        return AotCompiler.CompileCached(WasmModule.ReadFile(wasm), Path.GetFileName(wasm),
            new AotOptions { OptimizationLevel = level, CoreDumpOnTrap = true, DebugInfo = debugInfo, Compiler = compiler }, RepoPaths.CacheDirectory("aot"));
    }

    private static string Reading(string folder, string dump)
    {
        var module = WasmModule.ReadFile(CCompiler.Compile(Divide, CompileOptions.Wasm(OptLevel.O0)).Path);
        return string.Join("\n", CoreDumpSession.Open(File.ReadAllBytes(Path.Combine(folder, dump)), module).Report().Frames
            .Select(f => $"{f.Function}:{f.Line} " + string.Join(", ", f.Variables.Select(v => $"{v.Name}={v.Value ?? v.Unavailable}"))));
    }

    private static ProcessResult Run(string executable, string folder, string[] arguments, string? environmentPath = null) =>
        ProcessRunner.Run(executable, arguments, new ProcessOptions
        {
            WorkingDirectory = folder,
            Environment = new Dictionary<string, string?> { ["DWARFSMITH_COREDUMP"] = environmentPath },
            Timeout = TimeSpan.FromSeconds(60),
        });

    [Fact]
    public void Without_a_path_the_dump_goes_beside_the_program_named_after_the_module()
    {
        var folder = RepoPaths.NewScratchDirectory("coredump-default");
        var run = Run(Build(Divide), folder, []);
        Assert.Equal(134, run.ExitCode);
        Assert.Equal(["divide.coredump"], Directory.GetFiles(folder).Select(Path.GetFileName));
        Assert.Contains("wasm core dump written to divide.coredump\n", run.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void The_environment_variable_names_the_dump_and_the_option_overrides_it()
    {
        var folder = RepoPaths.NewScratchDirectory("coredump-environment");
        var executable = Build(Divide);
        Assert.Equal(134, Run(executable, folder, [], environmentPath: Path.Combine(folder, "from-environment.core")).ExitCode);
        Assert.Equal(134, Run(executable, folder, ["--coredump-on-trap", Path.Combine(folder, "from-option.core")], Path.Combine(folder, "ignored.core")).ExitCode);
        Assert.Equal(["from-environment.core", "from-option.core"], Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal("divide.wasm", CoreDumpReader.Read(File.ReadAllBytes(Path.Combine(folder, "from-option.core"))).ExecutableName);
    }

    [Fact]
    public void A_program_that_exits_normally_writes_nothing()
    {
        var folder = RepoPaths.NewScratchDirectory("coredump-none");
        var run = Run(Build(Corpus.Get("loops").SourcePath), folder, ["--coredump-on-trap", Path.Combine(folder, "never.core")]);
        Assert.Equal(0, run.ExitCode);
        Assert.Empty(Directory.GetFileSystemEntries(folder));
        Assert.DoesNotContain("core dump", run.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void A_dump_that_cannot_be_written_leaves_nothing_and_the_trap_is_reported_as_always()
    {
        var folder = RepoPaths.NewScratchDirectory("coredump-unwritable");
        var run = Run(Build(Divide), folder, ["--coredump-on-trap", Path.Combine(folder, "missing", "trap.core")]);
        Assert.Equal(134, run.ExitCode);
        Assert.StartsWith("wasm trap: integer divide by zero\n    at share (code offset 0x", run.StandardError, StringComparison.Ordinal);
        Assert.Contains("wasm core dump: cannot create ", run.StandardError, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(folder));
    }

    /// <summary>
    /// Recursion that uses no linear memory ends at the runtime's call-depth limit ("call stack
    /// exhausted"): the dump holds every frame, youngest first, each with its own parameter (its depth,
    /// counting up from 0 at the oldest), an i64 and an f64 local beside it read from the same frame.
    /// </summary>
    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void Call_stack_exhaustion_dumps_every_frame_with_its_own_locals(int level)
    {
        var wasm = AotHarness.Wat("deep_recursion", """
            (module
              (func $descend (param $depth i32) (result i32)
                (local $wide i64) (local $half f64)
                (local.set $wide (i64.mul (i64.extend_i32_u (local.get $depth)) (i64.const 4294967296)))
                (local.set $half (f64.div (f64.convert_i32_u (local.get $depth)) (f64.const 2)))
                (i32.add
                  (call $descend (i32.add (local.get $depth) (i32.const 1)))
                  (i32.add (i32.wrap_i64 (i64.shr_u (local.get $wide) (i64.const 32))) (i32.trunc_f64_u (local.get $half)))))
              (func $_start (export "_start") (drop (call $descend (i32.const 0))))
              (memory (export "memory") 1))
            """);
        var executable = AotCompiler.CompileCached(WasmModule.ReadFile(wasm), "deep_recursion.wasm",
            new AotOptions { OptimizationLevel = level, CoreDumpOnTrap = true }, RepoPaths.CacheDirectory("aot"));
        var folder = RepoPaths.NewScratchDirectory("coredump-depth");
        var run = Run(executable, folder, ["--coredump-on-trap", Path.Combine(folder, "deep.core")]);
        Assert.Equal(134, run.ExitCode);
        Assert.StartsWith("wasm trap: call stack exhausted\n", run.StandardError, StringComparison.Ordinal);

        var frames = CoreDumpReader.Read(File.ReadAllBytes(Path.Combine(folder, "deep.core"))).Threads[0].Frames;
        Assert.Equal(1u, frames[^1].FunctionIndex); // _start
        var descend = frames.Take(frames.Count - 1).ToList();
        Assert.True(descend.Count > 1000, $"{descend.Count} frames");
        Assert.All(descend, f => Assert.Equal(0u, f.FunctionIndex));
        int known = 0;
        for (int i = 0; i < descend.Count; i++)
        {
            int depth = descend.Count - 1 - i;
            var locals = descend[i].Locals;
            Assert.Equal(3, locals.Count);
            if (!locals[0].IsMissing)
            {
                Assert.Equal(depth, locals[0].AsInt32);
                known++;
            }

            if (i > 0 && !locals[1].IsMissing)
                Assert.Equal((long)depth << 32, locals[1].AsInt64);
            if (i > 0 && !locals[2].IsMissing)
                Assert.Equal(depth / 2.0, BitConverter.Int64BitsToDouble((long)locals[2].Bits));
        }

        if (level == 0)
            Assert.Equal(descend.Count, known);
    }

    /// <summary>
    /// The operand stack of each frame: the youngest holds the trapping division's operands, a caller what
    /// it keeps below the call's arguments (an i64 and an f64 here), at -O0 every value, at -O2 none wrong.
    /// </summary>
    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void Each_frame_has_its_operand_stack(int level)
    {
        var wasm = AotHarness.Wat("operand_stack_trap", """
            (module
              (func $divide (param $a i32) (param $b i32) (result i32)
                (i32.div_s (local.get $a) (local.get $b)))
              (func $_start (export "_start")
                (drop (f64.add (f64.const 2.5)
                  (f64.convert_i64_s (i64.add (i64.const 77)
                    (i64.extend_i32_s (call $divide (i32.const 1000) (global.get $zero))))))))
              (global $zero (mut i32) (i32.const 0))
              (memory (export "memory") 1))
            """);
        var executable = AotCompiler.CompileCached(WasmModule.ReadFile(wasm), "operand_stack_trap.wasm",
            new AotOptions { OptimizationLevel = level, CoreDumpOnTrap = true }, RepoPaths.CacheDirectory("aot"));
        var folder = RepoPaths.NewScratchDirectory("coredump-stack");
        var run = Run(executable, folder, ["--coredump-on-trap", Path.Combine(folder, "stack.core")]);
        Assert.StartsWith("wasm trap: integer divide by zero\n", run.StandardError, StringComparison.Ordinal);
        var frames = CoreDumpReader.Read(File.ReadAllBytes(Path.Combine(folder, "stack.core"))).Threads[0].Frames;
        Assert.Equal([0u, 1u], frames.Select(f => f.FunctionIndex));
        CoreValue[] divide = [CoreValue.I32(1000), CoreValue.I32(0)];
        CoreValue[] start = [CoreValue.F64(2.5), CoreValue.I64(77)];
        Assert.Equal(divide.Length, frames[0].Stack.Count);
        Assert.Equal(start.Length, frames[1].Stack.Count);
        foreach (var (expected, actual) in divide.Zip(frames[0].Stack).Concat(start.Zip(frames[1].Stack)))
        {
            if (level == 0)
                Assert.Equal(expected, actual);
            else if (!actual.IsMissing)
                Assert.Equal(expected, actual);
        }

        Assert.Equal(global::Dwarfsmith.Wasm.ValueType.I32, CoreDumpReader.Read(File.ReadAllBytes(Path.Combine(folder, "stack.core"))).Globals[0].Type);
    }

    /// <summary>Core dumps and <c>-g</c> together: the dump reads the same as without <c>-g</c>.</summary>
    [Fact]
    public void A_debug_build_writes_the_same_dump()
    {
        var folder = RepoPaths.NewScratchDirectory("coredump-debug");
        Assert.Equal(134, Run(Build(Divide), folder, ["--coredump-on-trap", Path.Combine(folder, "plain.core")]).ExitCode);
        Assert.Equal(134, Run(Build(Divide, debugInfo: true), folder, ["--coredump-on-trap", Path.Combine(folder, "debug.core")]).ExitCode);
        Assert.Equal(Reading(folder, "plain.core"), Reading(folder, "debug.core"));
        Assert.Contains("share:14 total=1000, parts=0", Reading(folder, "debug.core"), StringComparison.Ordinal);
    }

    /// <summary>
    /// With gcc as the C compiler: at -O0 the same dump as clang's (gcc's frame base is the canonical frame
    /// address, which the writer takes from the caller's frame); at -O2 the same frames, where gcc splits
    /// each function's trap paths into a part of its own (<c>.cold</c>), and no value that differs.
    /// </summary>
    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void A_gcc_build_writes_what_a_clang_build_writes(int level)
    {
        var folder = RepoPaths.NewScratchDirectory("coredump-gcc");
        Assert.Equal(134, Run(Build(Divide, level: level), folder, ["--coredump-on-trap", Path.Combine(folder, "clang.core")]).ExitCode);
        Assert.Equal(134, Run(Build(Divide, compiler: "gcc", level: level), folder, ["--coredump-on-trap", Path.Combine(folder, "gcc.core")]).ExitCode);
        var clang = CoreDumpReader.Read(File.ReadAllBytes(Path.Combine(folder, "clang.core"))).Threads[0].Frames;
        var gcc = CoreDumpReader.Read(File.ReadAllBytes(Path.Combine(folder, "gcc.core"))).Threads[0].Frames;
        Assert.Equal(clang.Select(f => (f.FunctionIndex, f.CodeOffset)), gcc.Select(f => (f.FunctionIndex, f.CodeOffset)));
        if (level == 0)
        {
            Assert.Equal(Reading(folder, "clang.core"), Reading(folder, "gcc.core"));
            return;
        }

        foreach (var (c, g) in clang.Zip(gcc))
        {
            foreach (var (x, y) in c.Locals.Zip(g.Locals).Concat(c.Stack.Zip(g.Stack)))
                Assert.True(x.IsMissing || y.IsMissing || x == y, $"function {c.FunctionIndex}: {x} with clang, {y} with gcc");
        }
    }
}
