using System.Text;
using System.Text.Json;

namespace Dwarfsmith.DebugTest;

/// <summary>The real debuggers the harness drives.</summary>
public enum DebuggerKind
{
    Gdb,
    Lldb,
}

/// <summary>Settings of one debugger session.</summary>
/// <param name="Steps">At most this many recorded stops.</param>
/// <param name="GlobalsEvery">Globals are recorded at every k-th stop (0, k, 2k, …).</param>
/// <param name="Timeout">The whole session's time limit.</param>
public sealed record SessionSettings(int Steps, int GlobalsEvery, TimeSpan Timeout);

/// <summary>
/// Runs one debugger over one side: the embedded Python driver of that debugger (<c>gdb -batch -nx -x
/// gdb_driver.py</c>, or <c>python3 lldb_driver.py</c> with lldb-22's module path) steps the program in one
/// session and writes a JSON-lines transcript, which is parsed here. A session past its time limit is killed
/// and what it wrote so far is kept, with the timeout as its error.
/// </summary>
public static class DebuggerSession
{
    private static readonly Lazy<string> s_lldbPythonPath = new(() =>
    {
        var lldb = ToolRunner.Require("lldb-22", "lldb-22");
        var result = ToolRunner.Run(lldb, ["-P"], TimeSpan.FromSeconds(30));
        return result.Succeeded ? result.StandardOutput.Trim() : throw new DebugTestException("lldb-22 -P failed: " + result.StandardError);
    });

    /// <summary>
    /// The environment of every program under test, whatever the harness's own: it lies at the top of the stack, so
    /// both sides must see the same bytes there for their stack addresses (and stale stack contents) to agree.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> ProgramEnvironment { get; } =
    [
        new("HOME", "/tmp"),
        new("LANG", "C"),
        new("PATH", "/usr/bin:/bin"),
    ];

    public static string Name(DebuggerKind debugger) => debugger == DebuggerKind.Gdb ? "gdb" : "lldb";

    /// <summary>Steps <paramref name="target"/> and returns its transcript; the files go to <paramref name="directory"/> as <c>PREFIX.*</c>.</summary>
    public static Transcript Run(DebuggerKind debugger, DebugTarget target, TestProgram program, SessionSettings settings,
        string directory, string prefix)
    {
        var transcriptPath = Path.Combine(directory, prefix + ".jsonl");
        var configPath = Path.Combine(directory, prefix + ".config.json");
        File.WriteAllText(configPath, Configuration(target, program, settings, transcriptPath, Path.Combine(directory, prefix + ".stdout")));
        var script = Driver(debugger, directory);
        ToolResult result;
        if (debugger == DebuggerKind.Gdb)
        {
            result = ToolRunner.Run(ToolRunner.Require("gdb", "gdb"), ["-batch", "-nx", "-x", script], settings.Timeout,
                new Dictionary<string, string> { ["DWARFSMITH_DEBUGTEST_CONFIG"] = configPath }, directory);
        }
        else
        {
            var environment = new Dictionary<string, string> { ["PYTHONPATH"] = s_lldbPythonPath.Value };
            var server = ToolRunner.Find("/usr/lib/llvm-22/bin/lldb-server");
            if (server is not null)
                environment["LLDB_DEBUGSERVER_PATH"] = server;
            result = ToolRunner.Run(ToolRunner.Require("python3", "python3"), [script, configPath], settings.Timeout, environment, directory);
        }
        File.WriteAllText(Path.Combine(directory, prefix + ".log"), result.StandardOutput + result.StandardError);
        var text = File.Exists(transcriptPath) ? File.ReadAllText(transcriptPath) : "";
        var error = result.TimedOut ? $"timeout after {settings.Timeout.TotalSeconds:0} s"
            : result.ExitCode != 0 && !text.Contains("\"kind\":\"end\"", StringComparison.Ordinal)
                ? $"{Name(debugger)} exited {result.ExitCode}: {LastLine(result.StandardError)}"
                : null;
        return Transcript.Parse(text, error);
    }

    private static string Configuration(DebugTarget target, TestProgram program, SessionSettings settings, string transcript, string stdout)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("program");
            foreach (var part in target.Command)
                json.WriteStringValue(part);
            json.WriteEndArray();
            json.WriteStartArray("sources");
            json.WriteStringValue(program.SourceFileName);
            json.WriteEndArray();
            json.WriteNumber("entry_line", program.EntryLine());
            json.WriteNumber("steps", settings.Steps);
            json.WriteNumber("globals_every", settings.GlobalsEvery);
            json.WriteBoolean("jit", target.Jit);
            json.WriteStartArray("lldb_init");
            foreach (var command in target.LldbInitCommands)
                json.WriteStringValue(command);
            json.WriteEndArray();
            json.WriteStartArray("skip_addresses");
            foreach (var address in target.SkipAddresses.Order())
                json.WriteNumberValue(address);
            json.WriteEndArray();
            json.WriteString("transcript", transcript);
            json.WriteString("stdout", stdout);
            json.WriteStartObject("env");
            foreach (var (key, value) in ProgramEnvironment)
                json.WriteString(key, value);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Writes the embedded driver script into the directory (once) and returns its path.</summary>
    private static string Driver(DebuggerKind debugger, string directory)
    {
        var name = Name(debugger) + "_driver.py";
        var path = Path.Combine(directory, name);
        if (!File.Exists(path))
        {
            using var stream = typeof(DebuggerSession).Assembly.GetManifestResourceStream("Drivers/" + name)
                ?? throw new DebugTestException($"the driver {name} is not embedded");
            using var reader = new StreamReader(stream);
            CacheFiles.WriteAtomically(path, reader.ReadToEnd());
        }
        return path;
    }

    private static string LastLine(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? "" : lines[^1];
    }
}
