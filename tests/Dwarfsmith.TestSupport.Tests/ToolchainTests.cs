using Xunit;

namespace Dwarfsmith.TestSupport.Tests;

public class ToolchainTests
{
    [Theory]
    [InlineData("clang")]
    [InlineData("clang-22")]
    [InlineData("wasm-ld")]
    [InlineData("llvm-dwarfdump")]
    [InlineData("llvm-objdump")]
    [InlineData("llvm-readobj")]
    [InlineData("lldb")]
    [InlineData("wasm-objdump")]
    [InlineData("wasm-validate")]
    [InlineData("wast2json")]
    [InlineData("wasm-opt")]
    [InlineData("node")]
    [InlineData("gdb")]
    [InlineData("gcc")]
    [InlineData("csmith")]
    public void Required_tools_are_installed(string tool)
    {
        var path = Toolchain.Require(tool);
        Assert.True(File.Exists(path), path);
    }

    [Fact]
    public void Clang_is_llvm_22_from_its_own_directory()
    {
        Assert.Equal("/usr/lib/llvm-22/bin/clang", Toolchain.Clang);
        Assert.Contains("clang version 22.", Toolchain.ClangVersion, StringComparison.Ordinal);
        Assert.StartsWith("gcc", Toolchain.GccVersion, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_tool_fails_with_install_advice()
    {
        Assert.Null(Toolchain.Find("dwarfsmith-no-such-tool"));
        Assert.False(Toolchain.Has("dwarfsmith-no-such-tool"));
        var ex = Assert.Throws<TestEnvironmentException>(() => Toolchain.Require("dwarfsmith-no-such-tool"));
        Assert.Contains("install-toolchain.sh", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Install_script_is_a_quiet_no_op_when_everything_is_installed()
    {
        // Quiet means it installed nothing: it announces every install on stderr. (How fast it is
        // depends on the machine's load, so it is not asserted here.)
        var result = ProcessRunner.Run("/bin/bash", [Path.Combine(RepoPaths.Root, Toolchain.InstallScript)]).EnsureSuccess();
        Assert.Equal("", result.StandardError);
        Assert.Equal("", result.StandardOutput);
    }

    [Fact]
    public void Repo_paths_point_at_the_checkout_and_shared()
    {
        Assert.True(File.Exists(Path.Combine(RepoPaths.Root, "Dwarfsmith.slnx")));
        Assert.True(Directory.Exists(RepoPaths.Corpus));
        Assert.True(File.Exists(Path.Combine(RepoPaths.SharedCorpus, "sqlite", "sqlite3.c")));
        Assert.StartsWith(RepoPaths.Root, RepoPaths.Cache, StringComparison.Ordinal);
        Assert.StartsWith(RepoPaths.Artifacts, RepoPaths.Reports, StringComparison.Ordinal);
    }
}
