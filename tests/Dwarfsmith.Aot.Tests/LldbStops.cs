using Dwarfsmith.Aot.NativeDwarf;
using Dwarfsmith.TestSupport;

namespace Dwarfsmith.Aot.Tests;

/// <summary>
/// Runs a program under lldb-22 (its Python API, Debugger/lldb_stops.py, run by python3 with lldb's
/// module path) with breakpoints at source lines, and returns what lldb shows at each stop as one
/// JSON line, in gdb_stops.py's shape (see <see cref="GdbStops"/>) plus what <c>p</c> prints for the
/// frame's pointers. With <c>withExtension</c>, Dwarfsmith's lldb extension is imported first, as
/// <c>dwarfsmith lldb</c> does.
/// </summary>
internal static class LldbStops
{
    private static readonly string Script = Path.Combine(AppContext.BaseDirectory, "Debugger", "lldb_stops.py");

    private static readonly Lazy<string> s_pythonPath = new(() =>
    {
        var result = ProcessRunner.Run(Toolchain.Lldb, ["-P"], new ProcessOptions { Timeout = TimeSpan.FromSeconds(30) });
        return result.ExitCode == 0 ? result.StandardOutput.Trim() : throw new ToolFailedException(result);
    });

    /// <summary>The extension as the launcher installs it, into the repository's cache.</summary>
    public static string Extension => LldbExtension.Install(RepoPaths.CacheDirectory("lldb"));

    /// <param name="commandLine">The program and its arguments.</param>
    /// <param name="lines">Breakpoint locations, <c>file.c:line</c>.</param>
    /// <param name="source">The source file whose globals are shown (its file name).</param>
    /// <param name="steps">Stepping commands (step, next, finish) run from each breakpoint's first hit, each stop recorded.</param>
    /// <param name="skipped">File addresses of the executable a step or next goes on from rather than stopping at.</param>
    public static IReadOnlyList<string> Run(IReadOnlyList<string> commandLine, IEnumerable<string> lines, string source,
        bool withExtension, IReadOnlyList<string> steps, IReadOnlySet<ulong>? skipped = null,
        IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var output = Path.Combine(RepoPaths.NewScratchDirectory("lldb-stops"), "stops.jsonl");
        var variables = new Dictionary<string, string?>
        {
            ["PYTHONPATH"] = s_pythonPath.Value,
            ["STOPS_LINES"] = string.Join(',', lines),
            ["STOPS_SOURCE"] = source,
            ["STOPS_OUTPUT"] = output,
            ["STOPS_EXTENSION"] = withExtension ? Extension : null,
            ["STOPS_STEPS"] = string.Join(',', steps),
            ["STOPS_SKIP_ADDRESSES"] = skipped is null ? null : string.Join(',', skipped.Order().Select(a => $"0x{a:x}")),
        };
        // lldb's Python module does not find lldb-server by itself here.
        if (Toolchain.Find("lldb-server") is { } server)
            variables["LLDB_DEBUGSERVER_PATH"] = server;
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            variables[name] = value;
        var result = ProcessRunner.Run(Toolchain.Require("python3"), [Script, .. commandLine], new ProcessOptions
        {
            Environment = variables,
            WorkingDirectory = workingDirectory,
            Timeout = TimeSpan.FromMinutes(steps.Count > 0 ? 6 : 3),
        });
        // An error in the extension's Python (a provider runs inside lldb's display) does not stop
        // the script; it shows on stderr, and fails the run here.
        if (result.TimedOut || !File.Exists(output) || PythonErrors.Mentioned(result.StandardError))
            throw new ToolFailedException(result);
        var stops = File.ReadAllLines(output);
        Directory.Delete(Path.GetDirectoryName(output)!, recursive: true);
        return stops;
    }
}
