using System.Diagnostics;
using System.Text;

namespace Dwarfsmith.TestSupport;

/// <summary>How to run a process: working directory, environment, standard input, time limit.</summary>
public sealed record ProcessOptions
{
    /// <summary>Default time limit of one process.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(2);

    public string? WorkingDirectory { get; init; }

    /// <summary>Variables to set (a null value removes the variable).</summary>
    public IReadOnlyDictionary<string, string?>? Environment { get; init; }

    /// <summary>Start from an empty environment (only <see cref="Environment"/> is set, plus PATH).</summary>
    public bool ClearEnvironment { get; init; }

    /// <summary>Text written to the process's standard input, which is then closed (closed at once when null).</summary>
    public string? StandardInput { get; init; }

    public TimeSpan Timeout { get; init; } = DefaultTimeout;
}

/// <summary>What a finished (or killed) process left: exit code, captured output, time.</summary>
public sealed record ProcessResult(
    string FileName,
    IReadOnlyList<string> Arguments,
    int ExitCode,
    string StandardOutput,
    string StandardError,
    TimeSpan Elapsed,
    bool TimedOut)
{
    /// <summary>The command line, shell-quoted, for messages.</summary>
    public string CommandLine => ProcessRunner.FormatCommandLine(FileName, Arguments);

    public bool Succeeded => !TimedOut && ExitCode == 0;

    /// <summary>Returns this result when the process exited with 0; throws with the command and its stderr otherwise.</summary>
    public ProcessResult EnsureSuccess()
    {
        if (!Succeeded)
        {
            throw new ToolFailedException(this);
        }

        return this;
    }

    /// <summary>A multi-line description: command, exit status, and the tails of stdout and stderr.</summary>
    public string Describe()
    {
        var status = TimedOut ? $"timed out after {Elapsed.TotalSeconds:F1} s" : $"exited with {ExitCode}";
        return $"`{CommandLine}` {status}.\n--- stderr ---\n{Tail(StandardError)}\n--- stdout ---\n{Tail(StandardOutput)}";
    }

    private static string Tail(string text) => text.Length <= 4000 ? text : "…" + text[^4000..];
}

/// <summary>Runs a command with a time limit, capturing stdout and stderr concurrently (no pipe deadlocks).</summary>
public static class ProcessRunner
{
    public static ProcessResult Run(string fileName, IEnumerable<string> arguments, ProcessOptions? options = null) =>
        RunAsync(fileName, arguments, options).GetAwaiter().GetResult();

    public static async Task<ProcessResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        ProcessOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        options ??= new ProcessOptions();
        var args = arguments.ToArray();
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            CreateNoWindow = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var arg in args)
        {
            startInfo.ArgumentList.Add(arg);
        }

        if (options.WorkingDirectory is not null)
        {
            startInfo.WorkingDirectory = options.WorkingDirectory;
        }

        if (options.ClearEnvironment)
        {
            var path = startInfo.Environment.TryGetValue("PATH", out var p) ? p : null;
            startInfo.Environment.Clear();
            if (path is not null)
            {
                startInfo.Environment["PATH"] = path;
            }
        }

        if (options.Environment is not null)
        {
            foreach (var (name, value) in options.Environment)
            {
                if (value is null)
                {
                    startInfo.Environment.Remove(name);
                }
                else
                {
                    startInfo.Environment[name] = value;
                }
            }
        }

        var stopwatch = Stopwatch.StartNew();
        using var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new TestEnvironmentException($"Cannot start `{FormatCommandLine(fileName, args)}`: {ex.Message}", ex);
        }

        var stdoutTask = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderrTask = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            if (options.StandardInput is not null)
            {
                await process.StandardInput.WriteAsync(options.StandardInput.AsMemory(), cancellationToken).ConfigureAwait(false);
            }

            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The child exited without reading its input: not our failure.
        }

        var timedOut = false;
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            timeout.CancelAfter(options.Timeout);
            try
            {
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                timedOut = !cancellationToken.IsCancellationRequested;
                try
                {
                    process.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                    // Already exited.
                }

                await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
            }
        }

        var stdout = await stdoutTask.ConfigureAwait(false);
        var stderr = await stderrTask.ConfigureAwait(false);
        stopwatch.Stop();
        return new ProcessResult(fileName, args, timedOut ? -1 : process.ExitCode, stdout, stderr, stopwatch.Elapsed, timedOut);
    }

    /// <summary>Formats a command line with POSIX shell quoting, for messages and logs.</summary>
    public static string FormatCommandLine(string fileName, IEnumerable<string> arguments) =>
        string.Join(' ', new[] { fileName }.Concat(arguments).Select(Quote));

    private static string Quote(string arg)
    {
        if (arg.Length > 0 && arg.All(c => char.IsAsciiLetterOrDigit(c) || "-_./=:,+@%".Contains(c, StringComparison.Ordinal)))
        {
            return arg;
        }

        return "'" + arg.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }
}
