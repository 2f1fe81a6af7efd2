using System.Globalization;
using System.Text.RegularExpressions;
using Dwarfsmith.TestSupport;

namespace Dwarfsmith.Aot.Tests;

/// <summary>
/// Runs a program under gdb (its Python API, Debugger/gdb_stops.py) with breakpoints at source
/// lines, and returns what gdb shows at each stop as one JSON line: the backtrace up to main, the
/// values of the arguments, locals and statics in scope and of the source file's globals.
/// </summary>
internal static partial class GdbStops
{
    private static readonly string Script = Path.Combine(AppContext.BaseDirectory, "Debugger", "gdb_stops.py");

    /// <param name="commandLine">The program and its arguments, as gdb's <c>--args</c> takes them.</param>
    /// <param name="lines">Breakpoint locations, <c>file.c:line</c>.</param>
    /// <param name="source">The source file whose globals are shown (its file name).</param>
    /// <param name="steps">Stepping commands (step, next, finish) run from each breakpoint's first hit, each stop recorded.</param>
    /// <param name="skipped">Addresses a step or next goes on from rather than stopping at.</param>
    /// <param name="maxStops">After this many breakpoint stops (and their steps), gdb ends the program.</param>
    public static IReadOnlyList<string> Run(IReadOnlyList<string> commandLine, IEnumerable<string> lines, string source,
        IReadOnlyList<string> steps, IReadOnlySet<ulong>? skipped = null, IReadOnlyDictionary<string, string>? environment = null,
        string? workingDirectory = null, int maxStops = 12)
    {
        var output = Path.Combine(RepoPaths.NewScratchDirectory("gdb-stops"), "stops.jsonl");
        var variables = new Dictionary<string, string?>
        {
            ["STOPS_LINES"] = string.Join(',', lines),
            ["STOPS_SOURCE"] = source,
            ["STOPS_OUTPUT"] = output,
            ["STOPS_STEPS"] = string.Join(',', steps),
            ["STOPS_MAX"] = maxStops.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["STOPS_SKIP_ADDRESSES"] = skipped is null ? null : string.Join(',', skipped.Order().Select(a => $"0x{a:x}")),
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            variables[name] = value;
        var result = ProcessRunner.Run(Toolchain.Gdb, ["-batch", "-nx", "-x", Script, "--args", .. commandLine], new ProcessOptions
        {
            Environment = variables,
            WorkingDirectory = workingDirectory,
            Timeout = TimeSpan.FromMinutes(2),
        });
        if (result.TimedOut || !File.Exists(output))
            throw new ToolFailedException(result);
        var stops = File.ReadAllLines(output);
        Directory.Delete(Path.GetDirectoryName(output)!, recursive: true);
        return stops;
    }

    /// <summary>
    /// The line gdb puts a breakpoint on for each of <paramref name="locations"/> (<c>file.c:line</c>)
    /// in <paramref name="executable"/>, without running it: the line asked for, or a later one when
    /// the line has no code of its own; null when gdb sets none.
    /// </summary>
    public static IReadOnlyList<int?> BreakpointLines(string executable, IReadOnlyList<string> locations)
    {
        List<string> arguments = ["-batch", "-nx"];
        foreach (var location in locations)
            arguments.AddRange(["-ex", "break " + location]);
        arguments.Add(executable);
        var result = ProcessRunner.Run(Toolchain.Gdb, arguments, new ProcessOptions { Timeout = TimeSpan.FromMinutes(1) });
        if (result.TimedOut)
            throw new ToolFailedException(result);
        var placed = new Dictionary<int, int>();
        foreach (Match match in BreakpointSet().Matches(result.StandardOutput + result.StandardError))
            placed[int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)] = int.Parse(match.Groups[2].Success ? match.Groups[2].Value : match.Groups[3].Value, CultureInfo.InvariantCulture);
        return [.. locations.Select((_, i) => placed.TryGetValue(i + 1, out int line) ? line : (int?)null)];
    }

    /// <summary>"Breakpoint 1 at 0x11d9: file x.c, line 23." or, with several locations, "Breakpoint 1 at 0x11d9: x.c:23. (2 locations)".</summary>
    [GeneratedRegex(@"^Breakpoint (\d+) at 0x[0-9a-f]+: (?:file .+, line (\d+)\.|.+:(\d+)\. \(\d+ locations\))", RegexOptions.Multiline)]
    private static partial Regex BreakpointSet();
}
