using System.Text;

namespace Dwarfsmith.Aot.SpecTests;

/// <summary>The per-file table of a spec-suite run (the CLI prints it, the tests write it to artifacts/reports).</summary>
public static class SpecReport
{
    public static string Table(IReadOnlyList<SpecFileResult> files)
    {
        var o = new StringBuilder();
        o.Append($"{"file",-40} {"passed",7} {"failed",7} {"skipped",8}  note\n");
        foreach (var file in files)
        {
            var note = file.ConversionError is { } error ? $"not converted by wast2json: {error.Split('\n', 2)[0]}" : "";
            o.Append($"{file.Name,-40} {file.Passed,7} {file.Failed,7} {file.Skipped,8}  {note}\n");
        }
        var notConverted = files.Count(f => !f.Converted);
        o.Append($"{$"total ({files.Count} files)",-40} {files.Sum(f => f.Passed),7} {files.Sum(f => f.Failed),7} {files.Sum(f => f.Skipped),8}  ");
        o.Append(notConverted == 0 ? "" : $"{notConverted} files not converted by wast2json").Append('\n');
        return o.ToString();
    }

    /// <summary>The failed commands of a file, "file.wast:line: type: reason", at most <paramref name="limit"/>.</summary>
    public static IEnumerable<string> Failures(SpecFileResult file, int limit) =>
        file.Commands.Where(c => c.Outcome == SpecOutcome.Failed).Take(limit).Select(c => $"{file.Name}.wast:{c.Line}: {c.Type}: {c.Reason}");
}
