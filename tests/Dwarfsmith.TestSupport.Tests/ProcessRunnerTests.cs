using Xunit;

namespace Dwarfsmith.TestSupport.Tests;

public class ProcessRunnerTests
{
    [Fact]
    public void Captures_large_stdout_and_stderr_without_deadlock()
    {
        var result = ProcessRunner.Run("/bin/sh", ["-c", "i=0; while [ $i -lt 3 ]; do head -c 300000 /dev/zero | tr '\\0' a; head -c 300000 /dev/zero | tr '\\0' b >&2; i=$((i+1)); done; exit 5"]);
        Assert.Equal(5, result.ExitCode);
        Assert.Equal(900_000, result.StandardOutput.Length);
        Assert.Equal(900_000, result.StandardError.Length);
        Assert.False(result.Succeeded);
        Assert.Throws<ToolFailedException>(() => result.EnsureSuccess());
    }

    [Fact]
    public void Timeout_kills_the_process()
    {
        // The sleep outlasts any plausible delay of a loaded machine, so finishing well before it proves the kill.
        var result = ProcessRunner.Run("/bin/sh", ["-c", "echo started; sleep 600"], new ProcessOptions { Timeout = TimeSpan.FromMilliseconds(500) });
        Assert.True(result.TimedOut);
        Assert.Equal("started\n", result.StandardOutput);
        Assert.True(result.Elapsed < TimeSpan.FromSeconds(300), result.Elapsed.ToString());
        Assert.Contains("timed out", result.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void Passes_stdin_environment_and_working_directory()
    {
        var dir = Path.GetTempPath();
        var result = ProcessRunner.Run("/bin/sh", ["-c", "cat; printf '%s|%s' \"$DS_VALUE\" \"$(pwd)\""], new ProcessOptions
        {
            StandardInput = "in put\n",
            Environment = new Dictionary<string, string?> { ["DS_VALUE"] = "v 1" },
            WorkingDirectory = dir,
        }).EnsureSuccess();
        Assert.Equal($"in put\nv 1|{Path.GetFullPath(dir).TrimEnd('/')}", result.StandardOutput);
    }

    [Fact]
    public void Missing_executable_is_a_clear_error()
    {
        var ex = Assert.Throws<TestEnvironmentException>(() => ProcessRunner.Run("/nonexistent/tool", ["x"]));
        Assert.Contains("/nonexistent/tool", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Command_line_is_shell_quoted()
    {
        Assert.Equal("cc -O2 'a b' 'it'\\''s'", ProcessRunner.FormatCommandLine("cc", ["-O2", "a b", "it's"]));
    }
}
