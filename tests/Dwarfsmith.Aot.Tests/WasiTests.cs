using Dwarfsmith.TestSupport;
using Xunit;

namespace Dwarfsmith.Aot.Tests;

/// <summary>WASI preview1 in the runtime, with node's WASI as the oracle.</summary>
public sealed class WasiTests
{
    private static string ProgramPath(string name) => Path.Combine(RepoPaths.Root, "tests", "Dwarfsmith.Aot.Tests", "Programs", name);

    public static TheoryData<string, int> Builds => new()
    {
        { "clang-22", 0 }, { "clang-22", 2 }, { "gcc", 2 },
    };

    [Theory]
    [MemberData(nameof(Builds))]
    public void Files_args_environment_escapes_and_exit_code_match_node(string compiler, int level)
    {
        var wasm = CCompiler.Compile(ProgramPath("wasi_files.c"), CompileOptions.Wasm(OptLevel.O0)).Path;
        string[] args = ["one", "two words", ""];
        var environment = new Dictionary<string, string> { ["GREETING"] = "hello there", ["OTHER"] = "x=y" };

        var nodeDirectory = RepoPaths.NewScratchDirectory("wasi-node");
        var aotDirectory = RepoPaths.NewScratchDirectory("wasi-aot");
        try
        {
            var expected = NodeWasi.Run(wasm, WasiOptions.InDirectory(nodeDirectory) with { Args = args, Environment = environment });
            var actual = AotHarness.Run(AotHarness.Compile(wasm, level, compiler), args, environment,
                new Dictionary<string, string> { ["."] = aotDirectory }, aotDirectory);
            Assert.Equal(expected.StandardOutput, actual.StandardOutput);
            Assert.Equal(7, expected.ExitCode);
            Assert.Equal(expected.ExitCode, actual.ExitCode);
            // The escapes failed with ENOTCAPABLE (76), and nothing was created outside the preopen.
            Assert.Contains("fopen(../aot-escape.txt, w): failed (errno 76)", actual.StandardOutput, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(aotDirectory, "..", "aot-escape.txt")));
            // wasi-libc maps "/aot-escape.txt" to the "." preopen, so that one is created inside it.
            Assert.Equal(["aot-escape.txt"], Directory.GetFileSystemEntries(aotDirectory).Select(Path.GetFileName));
        }
        finally
        {
            Directory.Delete(nodeDirectory, recursive: true);
            Directory.Delete(aotDirectory, recursive: true);
        }
    }

    /// <summary>path_open called directly (no libc in between) with paths that leave the preopen.</summary>
    [Theory]
    [InlineData("../outside.txt")]
    [InlineData("a/../../outside.txt")]
    [InlineData("/etc/passwd")]
    [InlineData("./../../etc/passwd")]
    public void Path_open_escapes_fail_with_ENOTCAPABLE_like_node(string path)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(path);
        var data = string.Concat(bytes.Select(b => $"\\{b:x2}"));
        var wasm = AotHarness.Wat("escape", $$"""
            (module
              (import "wasi_snapshot_preview1" "path_open"
                (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
              (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
              (memory (export "memory") 1)
              (data (i32.const 64) "{{data}}")
              (func $_start (export "_start")
                (call $proc_exit
                  (call $path_open (i32.const 3) (i32.const 1) (i32.const 64) (i32.const {{bytes.Length}})
                    (i32.const 0) (i64.const 0x1FFFFFFF) (i64.const 0x1FFFFFFF) (i32.const 0) (i32.const 16))))
            )
            """);
        var directory = RepoPaths.NewScratchDirectory("wasi-escape");
        try
        {
            var expected = NodeWasi.Run(wasm, WasiOptions.InDirectory(directory));
            var actual = AotHarness.Run(AotHarness.Compile(wasm, 0), [], null, new Dictionary<string, string> { ["."] = directory }, directory);
            Assert.Equal(76, actual.ExitCode);
            Assert.Equal(expected.ExitCode, actual.ExitCode);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void A_symlink_out_of_the_preopen_is_not_followed()
    {
        var wasm = CCompiler.Compile(ProgramPath("wasi_files.c"), CompileOptions.Wasm(OptLevel.O0)).Path;
        var outside = RepoPaths.NewScratchDirectory("wasi-outside");
        var directory = RepoPaths.NewScratchDirectory("wasi-symlink");
        try
        {
            File.WriteAllText(Path.Combine(outside, "secret.txt"), "secret\n");
            File.CreateSymbolicLink(Path.Combine(directory, "data.txt"), Path.Combine(outside, "secret.txt"));
            var run = AotHarness.Run(AotHarness.Compile(wasm, 0), [], null, new Dictionary<string, string> { ["."] = directory }, directory);
            // fopen("data.txt", "w") through the absolute symlink is refused: the program stops there.
            Assert.Equal(1, run.ExitCode);
            Assert.Contains("fopen data.txt", run.StandardError, StringComparison.Ordinal);
            Assert.Equal("secret\n", File.ReadAllText(Path.Combine(outside, "secret.txt")));
        }
        finally
        {
            Directory.Delete(outside, recursive: true);
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void An_import_the_runtime_lacks_is_an_error_naming_it()
    {
        var wasm = AotHarness.Wat("bad_import", """
            (module
              (import "env" "mystery" (func $mystery))
              (import "wasi_snapshot_preview1" "sock_accept" (func $accept (param i32 i32 i32) (result i32)))
              (func $_start (export "_start") call $mystery)
            )
            """);
        var error = Assert.Throws<AotException>(() => AotHarness.Compile(wasm, 0));
        Assert.Contains("env.mystery", error.Message, StringComparison.Ordinal);
    }
}
