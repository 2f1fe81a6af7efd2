using Xunit;

namespace Dwarfsmith.TestSupport.Tests;

public sealed class NodeWasiTests : IDisposable
{
    private readonly string _scratch = RepoPaths.NewScratchDirectory("node-wasi-test");

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    [Fact]
    public void Passes_args_env_stdin_and_preopens_and_returns_the_exit_code()
    {
        var source = Path.Combine(_scratch, "echo.c");
        File.WriteAllText(source, """
            #include <stdio.h>
            #include <stdlib.h>
            int main(int argc, char **argv) {
                char line[64];
                if (fgets(line, sizeof line, stdin) == NULL) return 9;
                FILE *f = fopen("out.txt", "w");
                if (f == NULL) return 8;
                fprintf(f, "written");
                fclose(f);
                printf("%s|%s|%s|%s", argv[0], argv[1], getenv("DS_VAR"), line);
                fprintf(stderr, "to stderr\n");
                return argc + 40;
            }
            """);
        var wasm = CCompiler.Compile(source, CompileOptions.Wasm()).Path;
        var dir = Directory.CreateDirectory(Path.Combine(_scratch, "run")).FullName;
        var result = NodeWasi.Run(wasm, WasiOptions.InDirectory(dir) with
        {
            Args = ["first arg"],
            Argv0 = "prog",
            Environment = new Dictionary<string, string> { ["DS_VAR"] = "value" },
            StandardInput = "from stdin\n",
        });
        Assert.Equal(42, result.ExitCode);
        Assert.Equal("prog|first arg|value|from stdin\n", result.StandardOutput);
        Assert.Equal("to stderr\n", result.StandardError);
        Assert.Equal("written", File.ReadAllText(Path.Combine(dir, "out.txt")));
    }

    [Fact]
    public void A_trap_is_a_non_zero_exit_with_nodes_message()
    {
        var source = Path.Combine(_scratch, "trap.c");
        File.WriteAllText(source, "int main(void) { __builtin_trap(); }\n");
        var result = NodeWasi.Run(CCompiler.Compile(source, CompileOptions.Wasm()).Path);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("unreachable", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("ExperimentalWarning", result.StandardError, StringComparison.Ordinal);
    }
}
