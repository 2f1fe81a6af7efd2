using System.Diagnostics;
using System.Text;

namespace Dwarfsmith.DebugTest;

/// <summary>What a finished or killed tool left.</summary>
/// <param name="ExitCode">The exit code (-1 when it was killed at its time limit).</param>
public sealed record ToolResult(int ExitCode, string StandardOutput, string StandardError, bool TimedOut, TimeSpan Elapsed)
{
    public bool Succeeded => !TimedOut && ExitCode == 0;
}

/// <summary>The harness's external programs: found on PATH (or given), run with a time limit.</summary>
public static class ToolRunner
{
    /// <summary>Runs a tool to its end or its time limit (then kills its process tree), capturing both outputs.</summary>
    public static ToolResult Run(string fileName, IEnumerable<string> arguments, TimeSpan timeout,
        IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? "",
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        if (environment is not null)
        {
            foreach (var (key, value) in environment)
                start.Environment[key] = value;
        }
        var stopwatch = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new DebugTestException($"cannot start {fileName}");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var timedOut = !process.WaitForExit(timeout);
        if (timedOut)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It ended meanwhile.
            }
            process.WaitForExit();
        }
        return new ToolResult(timedOut ? -1 : process.ExitCode, stdout.Result, stderr.Result, timedOut, stopwatch.Elapsed);
    }

    /// <summary>The full path of <paramref name="name"/> on PATH, or null.</summary>
    public static string? Find(string name)
    {
        if (Path.IsPathRooted(name))
            return File.Exists(name) ? name : null;
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, name);
            if (File.Exists(candidate))
                return candidate;
        }
        return null;
    }

    /// <summary>The full path of a tool, or a <see cref="DebugTestException"/> naming the Debian package to install.</summary>
    public static string Require(string name, string package) =>
        Find(name) ?? throw new DebugTestException($"{name} not found on PATH (install the Debian package {package})");

    /// <summary>The shell-quoted command line, for transcripts and messages.</summary>
    public static string CommandLine(string fileName, IEnumerable<string> arguments)
    {
        var text = new StringBuilder(Quote(fileName));
        foreach (var argument in arguments)
            text.Append(' ').Append(Quote(argument));
        return text.ToString();
    }

    private static string Quote(string text) =>
        text.Length > 0 && text.All(c => char.IsAsciiLetterOrDigit(c) || "-_./=:+,@".Contains(c))
            ? text
            : "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}

/// <summary>The harness could not do its work: a tool is missing or failed, an input is unusable.</summary>
public sealed class DebugTestException(string message) : Exception(message)
{
}
