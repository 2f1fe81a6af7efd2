using System.Text;
using System.Text.Json;
using Dwarfsmith.Dwarf;
using Dwarfsmith.Dwarf.Reading;

namespace Dwarfsmith.Cli;

public sealed partial class DwarfDumpPrinter
{
    /// <summary>Imports deeper than this are not followed (a crafted section could nest them until the stack ran out).</summary>
    private const int MaxImportDepth = 32;

    /// <summary>One unit's macro information, with its #include files named from the unit's line table.</summary>
    private sealed record UnitMacros(Unit Unit, string Section, ulong Offset, MacroUnitInput Macros, LineProgram? Lines)
    {
        /// <summary>The imported units already shown for this unit: each is expanded once (units can import one another many times over).</summary>
        public HashSet<ulong> Expanded { get; } = [];

        /// <summary>The line-table file an #include names, or null when the table has no such file.</summary>
        public string? FilePath(ulong file)
        {
            if (Lines is null)
                return null;
            ulong index = Lines.Version >= 5 ? file : file - 1; // DWARF 4 counts files from 1
            return index < (ulong)Lines.Files.Count ? Lines.Files[(int)index].Path : null;
        }
    }

    private IEnumerable<UnitMacros> MacroUnits()
    {
        foreach (var unit in context.Units)
        {
            var cursor = unit.Entries();
            if (!cursor.MoveNext() || cursor.IsNull)
                continue;
            foreach (var attribute in cursor.Attributes)
            {
                if (attribute.Name is not (DwAt.DW_AT_macros or DwAt.DW_AT_macro_info or DwAt.DW_AT_GNU_macros) || !unit.IsSectionOffset(attribute))
                    continue;
                // A tool may have removed the section and left the attribute: as the pass does, say so and go on.
                var macros = MacroReader.ReadForUnit(unit, attribute.Name, attribute.Value, out string sectionName)
                    ?? new MacroUnitInput([], 0, false, 0, $"the unit points into {sectionName}, which the file does not have");
                var lines = unit.StmtList is { } offset ? context.ReadLineProgram(offset, unit.AddressSize) : null;
                yield return new UnitMacros(unit, sectionName, attribute.Value, macros, lines);
            }
        }
    }

    private void WriteMacrosText(TextWriter output)
    {
        foreach (var unit in MacroUnits())
        {
            var macros = unit.Macros;
            string header = macros.Version == 0 ? "" : $", version {macros.Version}{(macros.HasLineOffset ? $", line table 0x{macros.LineOffset:x8}" : "")}";
            output.WriteLine($"macros of unit 0x{unit.Unit.Offset:x8} at 0x{unit.Offset:x8} in {unit.Section}{header}");
            WriteEntriesText(output, unit, macros, depth: 1, importDepth: 0);
        }
    }

    /// <summary>Entries indented by #include depth; an import's unit follows it, one level deeper.</summary>
    private void WriteEntriesText(TextWriter output, UnitMacros unit, MacroUnitInput macros, int depth, int importDepth)
    {
        foreach (var entry in macros.Entries)
        {
            if (entry.Kind == MacroKind.EndFile)
                depth = Math.Max(1, depth - 1);
            string indent = new(' ', 2 * depth);
            output.WriteLine(entry.Kind switch
            {
                MacroKind.StartFile => $"{indent}{KindName(entry.Kind)} line {entry.Line} file {entry.File} \"{unit.FilePath(entry.File) ?? "?"}\"",
                MacroKind.EndFile => $"{indent}{KindName(entry.Kind)}",
                MacroKind.Import => $"{indent}{KindName(entry.Kind)} 0x{entry.File:x8}",
                MacroKind.VendorExtension => $"{indent}{KindName(entry.Kind)} constant {entry.Line} {Quoted(entry)}",
                _ => $"{indent}{KindName(entry.Kind)} line {entry.Line} {Quoted(entry)}",
            });
            if (entry.Kind == MacroKind.StartFile)
                depth++;
            if (entry.Kind == MacroKind.Import)
            {
                if (ExpandImport(unit, entry, importDepth) is { } note)
                    output.WriteLine($"{indent}  ({note})");
                else
                    WriteEntriesText(output, unit, Imported(unit, entry), depth + 1, importDepth + 1);
            }
        }

        if (macros.Unsupported is { } reason)
            output.WriteLine($"{new string(' ', 2 * depth)}(not read further: {reason})");
    }

    /// <summary>Null when the import is to be expanded here, else why not.</summary>
    private static string? ExpandImport(UnitMacros unit, in MacroEntry import, int importDepth) =>
        importDepth >= MaxImportDepth ? $"imports nested deeper than {MaxImportDepth}: not followed"
        : !unit.Expanded.Add(import.File) ? "expanded above"
        : null;

    private MacroUnitInput Imported(UnitMacros unit, in MacroEntry import) =>
        MacroReader.ReadMacro(context.Sections[DwarfSections.Macro], import.File, unit.Unit);

    private void WriteMacrosJson(Utf8JsonWriter json)
    {
        json.WriteStartArray("macros");
        foreach (var unit in MacroUnits())
        {
            var macros = unit.Macros;
            json.WriteStartObject();
            json.WriteNumber("unit", unit.Unit.Offset);
            json.WriteString("section", unit.Section);
            json.WriteNumber("offset", unit.Offset);
            if (macros.Version != 0)
                json.WriteNumber("version", macros.Version);
            if (macros.HasLineOffset)
                json.WriteNumber("lineTable", macros.LineOffset);
            WriteEntriesJson(json, unit, macros, importDepth: 0);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    /// <summary>"entries" (an import holds its unit's as "imported"), and "notReadFurther" when the reader stopped early.</summary>
    private void WriteEntriesJson(Utf8JsonWriter json, UnitMacros unit, MacroUnitInput macros, int importDepth)
    {
        if (macros.Unsupported is { } reason)
            json.WriteString("notReadFurther", reason);
        json.WriteStartArray("entries");
        foreach (var entry in macros.Entries)
        {
            json.WriteStartObject();
            json.WriteString("kind", KindName(entry.Kind));
            switch (entry.Kind)
            {
                case MacroKind.StartFile:
                    json.WriteNumber("line", entry.Line);
                    json.WriteNumber("file", entry.File);
                    if (unit.FilePath(entry.File) is { } path)
                        json.WriteString("path", path);
                    break;
                case MacroKind.Import:
                    json.WriteNumber("offset", entry.File);
                    if (ExpandImport(unit, entry, importDepth) is { } note)
                    {
                        json.WriteString("notExpanded", note);
                    }
                    else
                    {
                        json.WriteStartObject("imported");
                        WriteEntriesJson(json, unit, Imported(unit, entry), importDepth + 1);
                        json.WriteEndObject();
                    }

                    break;
                case MacroKind.EndFile:
                    break;
                default:
                    json.WriteNumber(entry.Kind == MacroKind.VendorExtension ? "constant" : "line", entry.Line);
                    json.WriteString("text", Text(entry));
                    break;
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    /// <summary>The entry kind as both dumps print it.</summary>
    private static string KindName(MacroKind kind) => kind switch
    {
        MacroKind.Define => "define",
        MacroKind.Undefine => "undef",
        MacroKind.StartFile => "start_file",
        MacroKind.EndFile => "end_file",
        MacroKind.Import => "import",
        _ => "vendor_ext",
    };

    private static string Text(in MacroEntry entry) => Encoding.UTF8.GetString(entry.Text.Span);

    /// <summary>The text in quotes, with quotes and backslashes in it escaped (macro bodies hold string literals).</summary>
    private static string Quoted(in MacroEntry entry) =>
        "\"" + Text(entry).Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
