using System.Text.Json;
using Dwarfsmith.Debugging.CoreDumps;
using Dwarfsmith.Debugging.Types;
using Dwarfsmith.Debugging.Values;

namespace Dwarfsmith.Cli;

/// <summary>Prints a <see cref="CoreDumpReport"/>: gdb's <c>bt</c>, then each frame's variables, then the globals; or one JSON object.</summary>
internal static class CoreDumpPrinter
{
    public static void WriteText(TextWriter output, CoreDumpReport report, int? onlyFrame)
    {
        foreach (var frame in report.Frames)
            output.WriteLine(BacktraceLine(frame));
        foreach (var frame in report.Frames)
        {
            if (onlyFrame is { } n && frame.Index != n)
                continue;
            output.WriteLine();
            output.WriteLine($"Frame #{frame.Index}, {frame.Function}:");
            if (frame.Variables.Count == 0)
                output.WriteLine(frame.Note is null ? "  No locals." : $"  ({frame.Note})");
            foreach (var variable in frame.Variables)
                output.WriteLine($"  {Assignment(variable)}");
        }

        if (onlyFrame is null && report.Globals.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("Globals:");
            foreach (var variable in report.Globals)
                output.WriteLine($"  {Assignment(variable)}");
        }
    }

    /// <summary><c>#0  push (head=0x0, value=36) at pointers.c:23:5</c>, as gdb's backtrace shows a frame.</summary>
    private static string BacktraceLine(SourceFrame frame)
    {
        var arguments = string.Join(", ", frame.Parameters.Select(p => $"{p.Name}={p.Value ?? "<unavailable>"}"));
        var line = $"#{frame.Index,-2} {frame.Function} ({arguments})";
        if (frame.File is not null)
            line += $" at {frame.File}:{frame.Line}" + (frame.Column > 0 ? $":{frame.Column}" : "");
        if (frame.Inlined)
            line += " [inlined]";
        if (frame.Note is not null)
            line += $" ({frame.Note})";
        return line;
    }

    private static string Assignment(SourceVariable variable) =>
        $"{variable.Name} = {variable.Value ?? $"<unavailable: {variable.Unavailable}>"}";

    public static void WriteJson(TextWriter output, CoreDumpReport report, int? onlyFrame)
    {
        using var stream = new MemoryStream();
        using (var json = CliConsole.JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString("module", report.Module);
            json.WriteString("thread", report.Thread);
            json.WriteStartArray("frames");
            foreach (var frame in report.Frames)
            {
                json.WriteStartObject();
                json.WriteNumber("index", frame.Index);
                json.WriteString("function", frame.Function);
                json.WriteBoolean("inlined", frame.Inlined);
                WriteNullable(json, "file", frame.File);
                json.WriteNumber("line", frame.Line);
                json.WriteNumber("column", frame.Column);
                json.WriteNumber("function_index", frame.FunctionIndex);
                json.WriteNumber("code_offset", frame.CodeOffset);
                if (frame.Pc is { } pc)
                    json.WriteNumber("pc", pc);
                if (frame.Note is not null)
                    json.WriteString("note", frame.Note);
                if (onlyFrame is null || onlyFrame == frame.Index)
                    WriteVariables(json, "variables", frame.Variables);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            WriteVariables(json, "globals", onlyFrame is null ? report.Globals : []);
            json.WriteEndObject();
        }

        output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    /// <summary>A <c>print</c> result: the expression, its type, and its value or why it is unavailable.</summary>
    public static void WriteJson(TextWriter output, string expression, SourceValue value, ValueFormatter formatter)
    {
        using var stream = new MemoryStream();
        using (var json = CliConsole.JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString("expression", expression);
            json.WriteString("type", TypeNames.Of(value.Type));
            if (value.IsAvailable)
                json.WriteString("value", formatter.FormatTopLevel(value));
            else
                json.WriteString("unavailable", value.Unavailable);
            json.WriteEndObject();
        }

        output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    private static void WriteVariables(Utf8JsonWriter json, string name, IReadOnlyList<SourceVariable> variables)
    {
        json.WriteStartArray(name);
        foreach (var variable in variables)
        {
            json.WriteStartObject();
            json.WriteString("name", variable.Name);
            json.WriteString("kind", variable.Kind.ToString().ToLowerInvariant());
            json.WriteString("type", variable.Type);
            if (variable.Value is not null)
                json.WriteString("value", variable.Value);
            if (variable.Unavailable is not null)
                json.WriteString("unavailable", variable.Unavailable);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteNullable(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
            json.WriteNull(name);
        else
            json.WriteString(name, value);
    }
}
