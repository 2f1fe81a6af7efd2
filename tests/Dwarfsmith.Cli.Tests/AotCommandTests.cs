using Dwarfsmith.TestSupport;
using Xunit;

namespace Dwarfsmith.Cli.Tests;

/// <summary><c>dwarfsmith aot</c> and <c>dwarfsmith run</c> in-process: outputs, exit codes, errors.</summary>
public class AotCommandTests
{
    [Fact]
    public void Aot_writes_an_executable_that_prints_what_node_prints()
    {
        var program = Corpus.Get("loops");
        var wasm = program.BuildWasm(OptLevel.O2);
        var directory = RepoPaths.NewScratchDirectory("cli-aot");
        try
        {
            var executable = Path.Combine(directory, "loops");
            var cDirectory = Path.Combine(directory, "c");
            var run = CliRun.Of("aot", wasm.Path, "-o", executable, "-O1", "--cc", "gcc", "--emit-c", cDirectory);
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.True(File.Exists(Path.Combine(cDirectory, "loops.c")));
            Assert.True(File.Exists(Path.Combine(cDirectory, "wasm_rt.h")));
            var native = ProcessRunner.Run(executable, []);
            Assert.Equal(program.RunWasm(wasm.Path).StandardOutput, native.StandardOutput);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Run_propagates_the_exit_code_and_passes_arguments_and_environment()
    {
        var program = Corpus.Get("args_env");
        var wasm = program.BuildWasm(OptLevel.O0);
        var args = new List<string> { "run", wasm.Path, "-O0" };
        foreach (var (name, value) in program.Environment)
            args.AddRange(["--env", $"{name}={value}"]);
        args.Add("--");
        args.AddRange(program.Args);
        var run = CliRun.Of([.. args]);
        var expected = program.RunWasm(wasm.Path);
        Assert.Equal(expected.ExitCode, run.ExitCode);
        Assert.Equal(expected.StandardOutput, run.Output);

        var exit = Corpus.Get("exit_code");
        var exitRun = CliRun.Of("run", exit.BuildWasm(OptLevel.O2).Path);
        Assert.Equal(exit.ExpectedExitCode, exitRun.ExitCode);
    }

    [Fact]
    public void Missing_input_is_66_and_an_unsupported_import_is_65()
    {
        Assert.Equal(66, CliRun.Of("aot", "/nonexistent.wasm", "-o", "/tmp/x").ExitCode);
        var directory = RepoPaths.NewScratchDirectory("cli-aot-import");
        try
        {
            var wat = Path.Combine(directory, "m.wat");
            var wasm = Path.Combine(directory, "m.wasm");
            File.WriteAllText(wat, "(module (import \"env\" \"mystery\" (func)) (func (export \"_start\") call 0))");
            ProcessRunner.Run(Toolchain.Require("wat2wasm"), [wat, "-o", wasm]).EnsureSuccess();
            var run = CliRun.Of("aot", wasm, "-o", Path.Combine(directory, "m"));
            Assert.Equal(65, run.ExitCode);
            Assert.Contains("env.mystery", run.Error, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
