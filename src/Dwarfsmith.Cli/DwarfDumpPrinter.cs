using System.Globalization;
using System.Text;
using System.Text.Json;
using Dwarfsmith.Dwarf;
using Dwarfsmith.Dwarf.Expressions;
using Dwarfsmith.Dwarf.Reading;

namespace Dwarfsmith.Cli;

/// <summary>What <c>dwarf dump</c> shows.</summary>
public sealed record DumpSelection(bool Info, bool Line, bool Locations, bool Ranges, bool Macros = false);

/// <summary>
/// Prints DWARF as the reader sees it: entries with resolved attribute values (strings, addresses,
/// expressions; references as section offsets), location and range lists resolved to absolute
/// addresses, line tables row by row, and macro information with its #include files named. Text for people, JSON (same content) for programs.
/// </summary>
public sealed partial class DwarfDumpPrinter(DwarfContext context, DumpSelection selection)
{
    private static readonly CultureInfo s_invariant = CultureInfo.InvariantCulture;

    public void WriteText(TextWriter output)
    {
        if (selection.Info || selection.Locations || selection.Ranges)
        {
            foreach (var unit in context.Units)
                WriteUnitText(output, unit);
        }

        if (selection.Line)
        {
            foreach (var (offset, program) in LinePrograms())
                WriteLineTableText(output, offset, program);
        }

        if (selection.Macros)
            WriteMacrosText(output);
    }

    private void WriteUnitText(TextWriter output, Unit unit)
    {
        if (selection.Info)
            output.WriteLine($"0x{unit.Offset:x8}: {unit.UnitType} version {unit.Version}, {(unit.OffsetSize == 8 ? "DWARF64" : "DWARF32")}, addr_size {unit.AddressSize}");
        var cursor = unit.Entries();
        while (cursor.MoveNext())
        {
            if (cursor.IsNull)
                continue;
            string indent = new(' ', 2 * (cursor.Depth + 1));
            if (selection.Info)
                output.WriteLine($"0x{cursor.Offset:x8}:{indent}{cursor.Tag}");
            string? name = null;
            foreach (var attribute in cursor.Attributes)
            {
                if (attribute.Name == DwAt.DW_AT_name)
                    name = unit.GetString(attribute);
                var lists = ListLines(unit, attribute);
                if (selection.Info)
                {
                    output.WriteLine($"{indent}    {attribute.Name} [{attribute.Form}] {Value(unit, attribute)}");
                    foreach (var line in lists.Where(l => (l.IsRange ? selection.Ranges : selection.Locations) || selection.Info))
                        output.WriteLine($"{indent}      {line.Text}");
                }
                else if (lists.Count > 0 && (lists[0].IsRange ? selection.Ranges : selection.Locations))
                {
                    output.WriteLine($"0x{cursor.Offset:x8} {cursor.Tag}{(name is null ? "" : $" \"{name}\"")} {attribute.Name}:");
                    foreach (var line in lists)
                        output.WriteLine($"    {line.Text}");
                }
            }
        }
    }

    private static void WriteLineTableText(TextWriter output, ulong offset, LineProgram program)
    {
        output.WriteLine($"line table at 0x{offset:x8}: version {program.Version}, {program.Files.Count} files");
        for (int i = 0; i < program.Directories.Count; i++)
            output.WriteLine($"  directory {(program.Version >= 5 ? i : i + 1)}: \"{program.Directories[i].Path}\"");
        for (int i = 0; i < program.Files.Count; i++)
            output.WriteLine($"  file {(program.Version >= 5 ? i : i + 1)}: \"{program.Files[i].Path}\" directory {program.Files[i].DirectoryIndex}");
        output.WriteLine("  address            line   column file  flags");
        var rows = program.Rows();
        while (rows.MoveNext())
        {
            var row = rows.Current;
            output.WriteLine(string.Create(s_invariant, $"  0x{row.Address:x16} {row.Line,6} {row.Column,6} {row.File,5}  {Flags(row)}"));
        }
    }

    public void WriteJson(Stream stream)
    {
        using var json = CliConsole.JsonWriter(stream);
        json.WriteStartObject();
        if (selection.Info || selection.Locations || selection.Ranges)
        {
            json.WriteStartArray("units");
            foreach (var unit in context.Units)
                WriteUnitJson(json, unit);
            json.WriteEndArray();
        }

        if (selection.Line)
        {
            json.WriteStartArray("lineTables");
            foreach (var (offset, program) in LinePrograms())
                WriteLineTableJson(json, offset, program);
            json.WriteEndArray();
        }

        if (selection.Macros)
            WriteMacrosJson(json);
        json.WriteEndObject();
    }

    private void WriteUnitJson(Utf8JsonWriter json, Unit unit)
    {
        json.WriteStartObject();
        json.WriteNumber("offset", unit.Offset);
        json.WriteString("unitType", unit.UnitType.ToString());
        json.WriteNumber("version", unit.Version);
        json.WriteNumber("addressSize", unit.AddressSize);
        json.WriteBoolean("dwarf64", unit.OffsetSize == 8);
        json.WriteStartArray("entries");
        var cursor = unit.Entries();
        while (cursor.MoveNext())
        {
            if (cursor.IsNull)
                continue;
            json.WriteStartObject();
            json.WriteNumber("offset", cursor.Offset);
            json.WriteNumber("depth", cursor.Depth);
            json.WriteString("tag", cursor.Tag.ToString());
            json.WriteStartArray("attributes");
            foreach (var attribute in cursor.Attributes)
            {
                var lists = ListLines(unit, attribute);
                bool showList = lists.Count > 0 && (selection.Info || (lists[0].IsRange ? selection.Ranges : selection.Locations));
                if (!selection.Info && !showList)
                    continue;
                json.WriteStartObject();
                json.WriteString("name", attribute.Name.ToString());
                json.WriteString("form", attribute.Form.ToString());
                if (attribute.IsString && unit.GetString(attribute) is { } text)
                    json.WriteString("value", text);
                else
                    json.WriteString("value", Value(unit, attribute));
                if (showList)
                {
                    json.WriteStartArray(lists[0].IsRange ? "ranges" : "locations");
                    foreach (var line in lists)
                    {
                        json.WriteStartObject();
                        if (line.IsDefault)
                        {
                            json.WriteBoolean("default", true);
                        }
                        else
                        {
                            json.WriteNumber("begin", line.Begin);
                            json.WriteNumber("end", line.End);
                        }

                        if (line.Expression is not null)
                            json.WriteString("expression", line.Expression);
                        if (line.IsDead)
                            json.WriteBoolean("deadCode", true);
                        json.WriteEndObject();
                    }

                    json.WriteEndArray();
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteLineTableJson(Utf8JsonWriter json, ulong offset, LineProgram program)
    {
        json.WriteStartObject();
        json.WriteNumber("offset", offset);
        json.WriteNumber("version", program.Version);
        json.WriteStartArray("directories");
        foreach (var directory in program.Directories)
            json.WriteStringValue(directory.Path);
        json.WriteEndArray();
        json.WriteStartArray("files");
        foreach (var file in program.Files)
        {
            json.WriteStartObject();
            json.WriteString("path", file.Path);
            json.WriteNumber("directory", file.DirectoryIndex);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("rows");
        var rows = program.Rows();
        while (rows.MoveNext())
        {
            var row = rows.Current;
            json.WriteStartObject();
            json.WriteNumber("address", row.Address);
            json.WriteNumber("line", row.Line);
            json.WriteNumber("column", row.Column);
            json.WriteNumber("file", row.File);
            json.WriteString("flags", Flags(row));
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>Each unit's line program once, in the order units name them.</summary>
    private IEnumerable<(ulong Offset, LineProgram Program)> LinePrograms()
    {
        var seen = new HashSet<ulong>();
        foreach (var unit in context.Units)
        {
            if (unit.StmtList is { } offset && seen.Add(offset))
                yield return (offset, context.ReadLineProgram(offset, unit.AddressSize));
        }
    }

    private static string Flags(in LineRow row)
    {
        var flags = new List<string>();
        if (row.IsStmt)
            flags.Add("is_stmt");
        if (row.BasicBlock)
            flags.Add("basic_block");
        if (row.PrologueEnd)
            flags.Add("prologue_end");
        if (row.EpilogueBegin)
            flags.Add("epilogue_begin");
        if (row.EndSequence)
            flags.Add("end_sequence");
        if (row.Discriminator != 0)
            flags.Add($"discriminator {row.Discriminator}");
        return string.Join(' ', flags);
    }

    /// <summary>One line of a resolved list.</summary>
    private sealed record ListLine(bool IsRange, ulong Begin, ulong End, string? Expression, bool IsDefault, bool IsDead)
    {
        public string Text
        {
            get
            {
                string range = IsDefault ? "default" : $"[0x{Begin:x8}, 0x{End:x8})";
                string dead = IsDead ? " (dead code)" : "";
                return Expression is null ? range + dead : $"{range}: {Expression}{dead}";
            }
        }
    }

    private static List<ListLine> ListLines(Unit unit, in AttributeValue attribute)
    {
        var lines = new List<ListLine>();
        if (unit.IsRangeList(attribute))
        {
            foreach (var entry in unit.ReadRangeList(attribute).ReadAll().Where(e => e.HasRange))
                lines.Add(new ListLine(true, entry.Begin, entry.End, null, false, entry.IsTombstone));
        }
        else if (unit.IsLocationList(attribute))
        {
            foreach (var entry in unit.ReadLocationList(attribute).ReadAll().Where(e => e.HasRange || e.IsDefault))
                lines.Add(new ListLine(false, entry.Begin, entry.End, DwarfExpression.Format(entry.Expression, unit.Encoding, unit), entry.IsDefault, entry.IsTombstone));
        }

        return lines;
    }

    /// <summary>An attribute's value as text: resolved where the reader can resolve it.</summary>
    private static string Value(Unit unit, in AttributeValue attribute)
    {
        if (attribute.IsString)
            return unit.TryGetStringBytes(attribute, out var bytes) ? $"\"{JsonEncodedText.Encode(Encoding.UTF8.GetString(bytes))}\"" : $"<string 0x{attribute.Value:x}>";
        if (attribute.IsAddress)
        {
            ulong address = unit.ResolveAddress(attribute);
            return unit.IsTombstone(address) ? $"0x{address:x8} (dead code)" : $"0x{address:x8}";
        }

        if (attribute.IsReference)
            return unit.TryResolveReference(attribute, out long target) ? $"<entry 0x{target:x8}>" : $"<reference 0x{attribute.Value:x}>";
        if (attribute.IsFlag)
            return attribute.Form == DwForm.DW_FORM_flag_present || attribute.Value != 0 ? "true" : "false";
        if (attribute.Form == DwForm.DW_FORM_exprloc || (attribute.IsBlock && AttributeClasses.IsExprlocClass(attribute.Name)))
            return "(" + DwarfExpression.Format(attribute.Memory, unit.Encoding, unit) + ")";
        if (attribute.IsBlock || attribute.Form == DwForm.DW_FORM_data16)
            return "<" + Convert.ToHexString(attribute.Bytes) + ">";
        if (attribute.Form is DwForm.DW_FORM_sdata or DwForm.DW_FORM_implicit_const)
            return attribute.SignedValue.ToString(s_invariant);
        if (attribute.Form is DwForm.DW_FORM_sec_offset or DwForm.DW_FORM_rnglistx or DwForm.DW_FORM_loclistx)
            return $"0x{attribute.Value:x8}";
        return attribute.Value.ToString(s_invariant);
    }
}
