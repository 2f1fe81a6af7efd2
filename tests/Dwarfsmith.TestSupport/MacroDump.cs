using System.Text.RegularExpressions;

namespace Dwarfsmith.TestSupport;

/// <summary>
/// What llvm-dwarfdump says about a file's macro information (.debug_macro and .debug_macinfo),
/// in two forms: the dump with only its offsets into other sections blanked out, and its meaning,
/// independent of section, encoding and file numbering.
/// </summary>
public static partial class MacroDump
{
    /// <summary>The --debug-macro dump without the file line and with every debug_line_offset blanked.</summary>
    public static string Normalized(string path)
    {
        var text = Dump(path, "--debug-macro");
        text = string.Join('\n', text.Split('\n').Where(line => !line.Contains("file format", StringComparison.Ordinal)));
        return LineOffset().Replace(text, "debug_line_offset = <offset>");
    }

    /// <summary>
    /// Each compile unit's macro entries as "define LINE TEXT", "undef LINE TEXT", "start_file LINE
    /// NAME" (the line-table file's name, looked up in the unit's own line table) and "end_file",
    /// prefixed by the unit's name: the same for .debug_macinfo and .debug_macro, for strx, strp and
    /// inline strings, and for DWARF 4 and 5 file numbering.
    /// </summary>
    public static IReadOnlyList<string> Meaning(string path)
    {
        var units = CompileUnits(Dump(path, "--debug-info"));
        var fileNames = FileNamesByLineTable(Dump(path, "--debug-line"));
        var macroUnits = MacroUnits(Dump(path, "--debug-macro"));
        var meaning = new List<string>();
        foreach (var unit in units)
        {
            if (unit.MacroOffset is not { } macroOffset)
                continue;
            if (!macroUnits.TryGetValue(macroOffset, out var entries))
                throw new InvalidOperationException($"{path}: unit {unit.Name} points at macro information 0x{macroOffset:x}, which the dump does not list");
            fileNames.TryGetValue(unit.LineOffset ?? ulong.MaxValue, out var files);
            foreach (var (kind, line, operand) in entries)
            {
                string what = kind == "start_file"
                    ? files is not null && files.TryGetValue(ulong.Parse(operand), out var name) ? name : $"<file {operand} not in the line table>"
                    : operand;
                meaning.Add($"{unit.Name}: {kind} {line} {what}".TrimEnd());
            }
        }

        return meaning;
    }

    /// <summary>Every macro unit llvm-dwarfdump lists, by offset, as (kind, line, operand); an import's operand is the imported unit's offset (0x%08x).</summary>
    public static IReadOnlyDictionary<ulong, List<(string Kind, string Line, string Operand)>> UnitsByOffset(string path) =>
        MacroUnits(Dump(path, "--debug-macro"));

    /// <summary>
    /// Each unit's macro entries as llvm-dwarfdump lists them, in unit order: (kind, line, operand),
    /// the kind without its encoding (define, undef, start_file, end_file), the operand the macro
    /// text or start_file's file number.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<(string Kind, string Line, string Operand)>> EntriesByUnit(string path)
    {
        var macroUnits = MacroUnits(Dump(path, "--debug-macro"));
        return CompileUnits(Dump(path, "--debug-info"))
            .Where(unit => unit.MacroOffset is not null)
            .Select(unit => (IReadOnlyList<(string, string, string)>)macroUnits[unit.MacroOffset!.Value])
            .ToList();
    }

    private static string Dump(string path, string option)
    {
        var result = ProcessRunner.Run(Toolchain.LlvmDwarfdump, [option, path], new ProcessOptions { Timeout = TimeSpan.FromMinutes(5) });
        result.EnsureSuccess();
        return result.StandardOutput;
    }

    private sealed record CompileUnit(string Name, ulong? LineOffset, ulong? MacroOffset);

    private static List<CompileUnit> CompileUnits(string info)
    {
        var units = new List<CompileUnit>();
        foreach (var block in info.Split("Compile Unit:").Skip(1))
        {
            // The unit's root: up to its first child (an empty line separates entries).
            var root = block.Split("\n\n")[1];
            string name = UnitName().Match(root) is { Success: true } m ? m.Groups[1].Value : "?";
            units.Add(new CompileUnit(name, HexAttribute(root, "DW_AT_stmt_list"),
                HexAttribute(root, "DW_AT_macros") ?? HexAttribute(root, "DW_AT_macro_info") ?? HexAttribute(root, "DW_AT_GNU_macros")));
        }

        return units;
    }

    private static ulong? HexAttribute(string entry, string name)
    {
        var m = Regex.Match(entry, name + @"\s+\(0x([0-9a-f]+)\)");
        return m.Success ? Convert.ToUInt64(m.Groups[1].Value, 16) : null;
    }

    /// <summary>File index → file name, for every line table by its offset.</summary>
    private static Dictionary<ulong, Dictionary<ulong, string>> FileNamesByLineTable(string lines)
    {
        var tables = new Dictionary<ulong, Dictionary<ulong, string>>();
        foreach (Match table in LineTable().Matches(lines))
        {
            var files = new Dictionary<ulong, string>();
            foreach (Match file in FileName().Matches(table.Groups[2].Value))
                files[ulong.Parse(file.Groups[1].Value)] = file.Groups[2].Value;
            tables[Convert.ToUInt64(table.Groups[1].Value, 16)] = files;
        }

        return tables;
    }

    /// <summary>Macro units by offset (in either section: a file has one kind or the other), their entries as (kind, line, operand).</summary>
    private static Dictionary<ulong, List<(string Kind, string Line, string Operand)>> MacroUnits(string macros)
    {
        var units = new Dictionary<ulong, List<(string, string, string)>>();
        List<(string, string, string)>? current = null;
        foreach (var raw in macros.Split('\n'))
        {
            var line = raw.TrimStart(); // a macro body may end in spaces
            if (UnitStart().Match(line) is { Success: true } start)
            {
                current = [];
                units[Convert.ToUInt64(start.Groups[1].Value, 16)] = current;
                continue;
            }

            if (current is null || !line.StartsWith("DW_MAC", StringComparison.Ordinal))
                continue;
            if (Import().Match(line) is { Success: true } import)
            {
                current.Add(("import", "", "0x" + import.Groups[1].Value));
                continue;
            }

            var entry = Entry().Match(line);
            if (!entry.Success)
                throw new InvalidOperationException($"unexpected macro entry line: {line}");
            string kind = entry.Groups[1].Value switch
            {
                "define" or "define_strp" or "define_strx" or "define_sup" or "GNU_define" or "GNU_define_indirect" => "define",
                "undef" or "undef_strp" or "undef_strx" or "undef_sup" or "GNU_undef" or "GNU_undef_indirect" => "undef",
                "GNU_start_file" => "start_file",
                "GNU_end_file" => "end_file",
                var other => other,
            };
            current.Add((kind, entry.Groups[2].Value, entry.Groups[3].Success ? entry.Groups[3].Value : entry.Groups[4].Value));
        }

        return units;
    }

    [GeneratedRegex(@"debug_line_offset = 0x[0-9a-f]+")]
    private static partial Regex LineOffset();

    [GeneratedRegex(@"DW_AT_name\s+\(""([^""]*)""\)")]
    private static partial Regex UnitName();

    [GeneratedRegex(@"debug_line\[0x([0-9a-f]+)\]\n(.*?)(?=\ndebug_line\[|\z)", RegexOptions.Singleline)]
    private static partial Regex LineTable();

    [GeneratedRegex(@"file_names\[\s*(\d+)\]:\s*\n\s*name: ""([^""]*)""")]
    private static partial Regex FileName();

    [GeneratedRegex(@"^0x([0-9a-f]+):$")]
    private static partial Regex UnitStart();

    [GeneratedRegex(@"^DW_MACRO_(?:GNU_transparent_include|import) - import offset: 0x([0-9a-f]+)$")]
    private static partial Regex Import();

    [GeneratedRegex(@"^DW_MAC(?:RO|INFO)_(\w+)(?: - lineno: (\d+) (?:filenum: (\d+)|macro: (.*)))?$")]
    private static partial Regex Entry();
}
