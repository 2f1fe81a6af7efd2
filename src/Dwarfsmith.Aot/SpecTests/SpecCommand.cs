using System.Text.Json;

namespace Dwarfsmith.Aot.SpecTests;

/// <summary>A value in a spec-test command as wast2json writes it: a type and its text (bits for floats, lanes for v128).</summary>
public sealed record SpecValue(string Type, string Value, string? LaneType, IReadOnlyList<string> Lanes)
{
    internal static SpecValue Parse(JsonElement element)
    {
        var type = element.GetProperty("type").GetString()!;
        var laneType = element.TryGetProperty("lane_type", out var lane) ? lane.GetString() : null;
        if (element.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.Array)
            return new SpecValue(type, "", laneType, [.. value.EnumerateArray().Select(v => v.GetString()!)]);
        return new SpecValue(type, element.TryGetProperty("value", out value) ? value.GetString() ?? "" : "", laneType, []);
    }
}

/// <summary>An <c>invoke</c> of an exported function or a <c>get</c> of an exported global.</summary>
public sealed record SpecAction(string Type, string? Module, string Field, IReadOnlyList<SpecValue> Arguments);

/// <summary>One command of a converted .wast file (wast2json's JSON).</summary>
public sealed record SpecCommand(
    string Type, int Line, string? Name, string? FileName, string? Text, bool IsTextModule, string? As,
    SpecAction? Action, IReadOnlyList<SpecValue> Expected)
{
    /// <summary>The commands of a wast2json output file.</summary>
    public static IReadOnlyList<SpecCommand> ReadAll(string jsonPath)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(jsonPath));
        var commands = new List<SpecCommand>();
        foreach (var c in document.RootElement.GetProperty("commands").EnumerateArray())
        {
            string? Text(string name) => c.TryGetProperty(name, out var p) ? p.GetString() : null;
            SpecAction? action = null;
            if (c.TryGetProperty("action", out var a))
            {
                action = new SpecAction(
                    a.GetProperty("type").GetString()!,
                    a.TryGetProperty("module", out var m) ? m.GetString() : null,
                    a.GetProperty("field").GetString()!,
                    a.TryGetProperty("args", out var args) ? [.. args.EnumerateArray().Select(SpecValue.Parse)] : []);
            }
            IReadOnlyList<SpecValue> expected = c.TryGetProperty("expected", out var e) ? [.. e.EnumerateArray().Select(SpecValue.Parse)] : [];
            commands.Add(new SpecCommand(
                c.GetProperty("type").GetString()!, c.GetProperty("line").GetInt32(), Text("name"), Text("filename"), Text("text"),
                Text("module_type") == "text", Text("as"), action, expected));
        }
        return commands;
    }
}
