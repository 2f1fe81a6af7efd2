using System.Text.Json;

namespace Dwarfsmith.DebugTest;

/// <summary>One variable at a stop: its name, declaration line and its value flattened into scalar leaves.</summary>
/// <param name="Leaves">Access path (<c>x</c>, <c>s.f</c>, <c>a[2]</c>, <c>*p</c>) and value text; pointers are
/// <c>null</c> or <c>nonnull</c> (addresses differ between sides by construction), unreadable or optimized-out
/// values are marked <c>&lt;…&gt;</c>.</param>
public sealed record VariableState(string Name, int DeclarationLine, IReadOnlyList<KeyValuePair<string, string>> Leaves)
{
    public bool IsOptimizedOut => Leaves.Any(l => l.Value == "<optimized out>");

    public string Text => string.Join(", ", Leaves.Select(l => l.Key + "=" + l.Value));
}

/// <summary>One recorded stop: where, how deep, and what is visible.</summary>
/// <param name="Column">Null when the debugger does not report columns (gdb 13's Python API has none).</param>
/// <param name="Depth">Frames from the innermost up to the first outside the program's sources.</param>
/// <param name="Globals">The file's globals, recorded every k stops (null at the others).</param>
public sealed record StopState(int Index, string Function, string File, int Line, int? Column, int Depth,
    IReadOnlyList<VariableState> Variables, IReadOnlyList<VariableState>? Globals)
{
    public string Location => $"{Function} {File}:{Line}{(Column is int c ? ":" + c : "")} depth {Depth}";
}

/// <summary>What one debugger session recorded for one side: the stops, how it ended, its own failure if any.</summary>
/// <param name="EndReason"><c>steps</c> (the step budget ran out), <c>exit</c>, or null when the session
/// failed (then <see cref="Error"/> says why: a timeout, a crash of the debugger, a launch failure).</param>
public sealed record Transcript(IReadOnlyList<StopState> Stops, string? EndReason, int? ExitCode, string? Error)
{
    /// <summary>Parses the JSON-lines file a driver wrote (a record it could not finish is ignored).</summary>
    public static Transcript Parse(string text, string? sessionError)
    {
        var stops = new List<StopState>();
        string? reason = null;
        int? exitCode = null;
        var error = sessionError;
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(line);
            }
            catch (JsonException)
            {
                continue;
            }
            using (document)
            {
                var root = document.RootElement;
                switch (root.GetProperty("kind").GetString())
                {
                    case "stop":
                        stops.Add(ParseStop(root));
                        break;
                    case "end":
                        reason = root.GetProperty("reason").GetString();
                        exitCode = root.TryGetProperty("exit_code", out var code) && code.ValueKind == JsonValueKind.Number ? code.GetInt32() : null;
                        break;
                    case "error":
                        error ??= root.GetProperty("message").GetString();
                        break;
                }
            }
        }
        return new Transcript(stops, error is null ? reason : null, exitCode, error);
    }

    private static StopState ParseStop(JsonElement root) => new(
        root.GetProperty("i").GetInt32(),
        root.GetProperty("function").GetString() ?? "??",
        root.GetProperty("file").GetString() ?? "",
        root.GetProperty("line").GetInt32(),
        root.GetProperty("column").ValueKind == JsonValueKind.Number ? root.GetProperty("column").GetInt32() : null,
        root.GetProperty("depth").GetInt32(),
        ParseVariables(root.GetProperty("vars")),
        root.TryGetProperty("globals", out var globals) ? ParseVariables(globals) : null);

    private static List<VariableState> ParseVariables(JsonElement array)
    {
        var variables = new List<VariableState>(array.GetArrayLength());
        foreach (var variable in array.EnumerateArray())
        {
            var leaves = new List<KeyValuePair<string, string>>();
            foreach (var leaf in variable.GetProperty("v").EnumerateArray())
                leaves.Add(new(leaf[0].GetString() ?? "", leaf[1].GetString() ?? ""));
            var line = variable.TryGetProperty("l", out var l) && l.ValueKind == JsonValueKind.Number ? l.GetInt32() : 0;
            variables.Add(new VariableState(variable.GetProperty("n").GetString() ?? "", line, leaves));
        }
        return variables;
    }
}
