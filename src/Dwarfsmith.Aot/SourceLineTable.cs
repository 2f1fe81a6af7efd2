using System.Text;
using Dwarfsmith.Dwarf;
using Dwarfsmith.Dwarf.Reading;
using Dwarfsmith.Tools;
using Dwarfsmith.Wasm;

namespace Dwarfsmith.Aot;

/// <summary>
/// The module's DWARF line table reduced to what a trap message needs: sorted rows (code offset,
/// source file, line), where a row holds until the next and line 0 means "no source" (the end of a
/// sequence). The translator embeds it as <c>wasm_source_rows[]</c>/<c>wasm_source_files[]</c>, which
/// the runtime searches only when it reports a trap.
/// </summary>
internal static class SourceLineTable
{
    private readonly record struct Row(uint CodeOffset, int File, uint Line);

    public static void Write(StringBuilder o, WasmModule module)
    {
        var files = new List<string>();
        var rows = Read(module, files);
        if (rows.Count == 0)
            return;
        o.Append("const char *const wasm_source_files[] = {\n");
        foreach (var file in files)
            o.Append("    ").Append(CTranslator.CString(file)).Append(",\n");
        o.Append("};\nconst wasm_source_row wasm_source_rows[] = {\n");
        foreach (var row in rows)
            o.Append("    { ").Append(row.CodeOffset).Append(", ").Append(row.File).Append(", ").Append(row.Line).Append(" },\n");
        o.Append("};\nconst uint32_t wasm_source_row_count = ").Append(rows.Count).Append(";\n\n");
    }

    private static List<Row> Read(WasmModule module, List<string> files)
    {
        var rows = new List<Row>();
        if (!module.DebugSections.Any(s => s.Name == ".debug_line"))
            return rows;
        var fileIndices = new Dictionary<string, int>(StringComparer.Ordinal);
        try
        {
            var context = new DwarfContext(DwarfContainers.FromWasm(module));
            foreach (var unit in context.Units)
            {
                if (unit.ReadLineProgram() is not { } program)
                    continue;
                var programRows = program.ReadRows();
                foreach (var sequence in program.Sequences(programRows))
                {
                    if (sequence.IsTombstone)
                        continue;
                    for (var i = sequence.Start; i < sequence.Start + sequence.Count; i++)
                    {
                        var row = programRows[i];
                        if (row.EndSequence)
                        {
                            rows.Add(new Row((uint)row.Address, 0, 0));
                            continue;
                        }
                        var path = FilePath(program, row.File, unit.CompilationDirectory);
                        if (!fileIndices.TryGetValue(path, out var index))
                        {
                            index = files.Count;
                            files.Add(path);
                            fileIndices.Add(path, index);
                        }
                        rows.Add(new Row((uint)row.Address, index, (uint)row.Line));
                    }
                }
            }
        }
        catch (DwarfFormatException)
        {
            // Source locations are a courtesy of trap messages; damaged DWARF only loses them.
            files.Clear();
            return [];
        }
        // Stable sort: a sequence's end row and the next sequence's first row at the same offset keep their order.
        var sorted = rows.Select((row, order) => (row, order)).OrderBy(p => p.row.CodeOffset).ThenBy(p => p.order).Select(p => p.row);
        var compact = new List<Row>();
        foreach (var row in sorted)
        {
            if (compact.Count > 0 && compact[^1].CodeOffset == row.CodeOffset)
                compact[^1] = row;
            else if (compact.Count == 0 || compact[^1].File != row.File || compact[^1].Line != row.Line)
                compact.Add(row);
        }
        return compact;
    }

    /// <summary>The row's file as the compiler named it, under its directory unless the name is absolute.</summary>
    private static string FilePath(LineProgram program, ulong file, string? compilationDirectory)
    {
        if (!program.TryGetFile(file, out var entry))
            return $"<file {file}>";
        if (Path.IsPathRooted(entry.Path))
            return entry.Path;
        string? directory = entry.DirectoryIndex == 0 && program.Version < 5 ? compilationDirectory
            : program.TryGetDirectory(entry.DirectoryIndex, out var d) ? d.Path : null;
        if (directory is not null && !Path.IsPathRooted(directory) && compilationDirectory is not null)
            directory = Path.Combine(compilationDirectory, directory);
        return directory is null ? entry.Path : Path.Combine(directory, entry.Path);
    }
}
