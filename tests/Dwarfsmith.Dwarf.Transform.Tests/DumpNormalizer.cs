using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Dwarfsmith.Dwarf.Transform.Tests;

/// <summary>
/// Turns llvm-dwarfdump's text dumps into a form that two files meaning the same thing share:
/// section offsets (of entries, units, lists, line tables) are replaced by what they name — a
/// reference becomes the ordinal of its target entry, so a reference to a different entry still
/// differs — and encodings the writer may choose differently (the *_base attributes, lengths,
/// abbreviation offsets) are left out. With <see cref="Options.AcrossVersions"/> it also hides what
/// a DWARF version change alters: versions, list indices, DW_OP_addrx (resolved through the
/// .debug_addr dump), and line-table file numbers (resolved to paths).
/// </summary>
internal static partial class DumpNormalizer
{
    internal sealed record Options(bool AcrossVersions = false);

    [GeneratedRegex(@"^0x([0-9a-f]+):(\s+)(DW_TAG_\w+|NULL)\s*$")]
    private static partial Regex EntryLine();

    [GeneratedRegex(@"^0x([0-9a-f]+): (\w+) Unit: length = 0x[0-9a-f]+, format = (\w+), version = 0x([0-9a-f]+),(?: unit_type = (\w+),)? abbr_offset = 0x[0-9a-f]+, addr_size = 0x([0-9a-f]+)")]
    private static partial Regex UnitLine();

    [GeneratedRegex(@"^(\s+)(DW_AT_\w+)\t\((.*)$")]
    private static partial Regex AttributeLine();

    [GeneratedRegex(@"^0x([0-9a-f]{8})( ""|\)$)")]
    private static partial Regex ReferenceValue();

    [GeneratedRegex(@"^(?:indexed \(0x[0-9a-f]+\) (?:rangelist|loclist) = )?0x[0-9a-f]+")]
    private static partial Regex ListValue();

    [GeneratedRegex(@"DW_OP_(convert|reinterpret|const_type|regval_type|deref_type) (?:0x[0-9a-f]+ )?\(0x([0-9a-f]+)\)")]
    private static partial Regex TypeOperand();

    [GeneratedRegex(@"^\s+\[0x0*(ffffffff|fffffffe|1[0-9a-f]{8})")]
    private static partial Regex DeadListEntry();

    [GeneratedRegex(@"DW_OP_addrx 0x([0-9a-f]+)")]
    private static partial Regex AddrxOperand();

    /// <summary>Normalizes a non-verbose <c>--debug-info</c> dump (with the <c>--debug-addr</c> dump when across versions).</summary>
    public static string Info(string dump, string? addrDump = null, Options? options = null)
    {
        options ??= new Options();
        var lines = dump.Split('\n');
        var ordinals = new Dictionary<long, int>();
        foreach (string line in lines)
        {
            var entry = EntryLine().Match(line);
            if (entry.Success && entry.Groups[3].Value != "NULL")
                ordinals[long.Parse(entry.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture)] = ordinals.Count;
        }

        var addressTables = addrDump is null ? [] : ParseAddressTables(addrDump);
        var text = new StringBuilder();
        List<string>? addresses = null;
        int lineTables = 0;
        foreach (string raw in lines)
        {
            string line = raw.TrimEnd();
            if (line.Length == 0 || line.EndsWith("file format WASM", StringComparison.Ordinal) || line.EndsWith("contents:", StringComparison.Ordinal))
                continue;
            var unit = UnitLine().Match(line);
            if (unit.Success)
            {
                addresses = null;
                string version = options.AcrossVersions ? "" : $" version {unit.Groups[4].Value} {unit.Groups[5].Value}";
                text.Append($"{unit.Groups[2].Value} unit {unit.Groups[3].Value} addr_size {unit.Groups[6].Value}{version}\n");
                continue;
            }

            var entryLine = EntryLine().Match(line);
            if (entryLine.Success)
            {
                text.Append(entryLine.Groups[2].Value).Append(entryLine.Groups[3].Value).Append('\n');
                continue;
            }

            var attribute = AttributeLine().Match(line);
            if (!attribute.Success && DeadListEntry().IsMatch(line))
            {
                // Dead-code list entries print as their tombstone form resolves, which is the writer's choice:
                // DWARF 4 dumps leave out entries from a −2 base that DWARF 5 dumps show from −1, and LLVM
                // resolves DWARF 4 offsets from a dead unit's −1 base (wasm-ld's) past 4 GiB, where the
                // pass writes them from −2 (issue 16). Dead entries are left out; keep the list's closing parenthesis.
                if (line.EndsWith("))", StringComparison.Ordinal) && text.Length > 0)
                    text.Insert(text.Length - 1, ')');
                continue;
            }
            if (!attribute.Success)
            {
                text.Append(Operands(line, ordinals, addresses)).Append('\n');
                continue;
            }

            string name = attribute.Groups[2].Value, value = attribute.Groups[3].Value;
            switch (name)
            {
                case "DW_AT_str_offsets_base" or "DW_AT_rnglists_base" or "DW_AT_loclists_base":
                    continue;
                case "DW_AT_addr_base":
                    long addrBase = long.Parse(value.TrimEnd(')')[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                    addresses = addressTables.GetValueOrDefault(addrBase);
                    continue;
                case "DW_AT_stmt_list":
                    value = $"<line table {lineTables++}>)";
                    break;
                default:
                    var reference = ReferenceValue().Match(value);
                    if (reference.Success && (reference.Groups[2].Value != ")" || IsReferenceAttribute(name)))
                    {
                        long target = long.Parse(reference.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                        value = $"<entry {(ordinals.TryGetValue(target, out int ordinal) ? ordinal.ToString(CultureInfo.InvariantCulture) : "?" + target)}>" + value[(reference.Length - reference.Groups[2].Length)..];
                        break;
                    }

                    if (name is "DW_AT_ranges" or "DW_AT_location" or "DW_AT_frame_base" or "DW_AT_data_member_location")
                        value = ListValue().Replace(value, "<list>", 1);
                    value = Operands(value, ordinals, addresses);
                    break;
            }

            text.Append(attribute.Groups[1].Value).Append(name).Append(" (").Append(value).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>Attributes whose value is an entry even when the dump prints no name beside it (else a bare hex value is an address or constant).</summary>
    private static bool IsReferenceAttribute(string name) => name is "DW_AT_sibling" or "DW_AT_type" or "DW_AT_abstract_origin"
        or "DW_AT_specification" or "DW_AT_call_origin" or "DW_AT_import" or "DW_AT_containing_type" or "DW_AT_object_pointer"
        or "DW_AT_common_reference" or "DW_AT_namelist_item" or "DW_AT_priority" or "DW_AT_friend" or "DW_AT_extension"
        or "DW_AT_default_value" or "DW_AT_discr" or "DW_AT_small" or "DW_AT_base_types" or "DW_AT_call_parameter";

    /// <summary>Expression operands that hold offsets: base-type entries, and (across versions) address indices.</summary>
    private static string Operands(string text, Dictionary<long, int> ordinals, List<string>? addresses)
    {
        text = TypeOperand().Replace(text, m =>
        {
            // llvm-dwarfdump prints the operand as a section offset (the unit's offset added).
            long target = long.Parse(m.Groups[2].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            return $"DW_OP_{m.Groups[1].Value} <entry {(ordinals.TryGetValue(target, out int o) ? o.ToString(CultureInfo.InvariantCulture) : "?")}>";
        });
        if (addresses is not null)
        {
            text = AddrxOperand().Replace(text, m =>
            {
                int index = int.Parse(m.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                return index < addresses.Count ? $"DW_OP_addr 0x{ulong.Parse(addresses[index][2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture):x}" : m.Value;
            });
        }

        return text;
    }

    /// <summary>The address tables of a <c>--debug-addr</c> dump by their addr_base (offset after the 8-byte header).</summary>
    private static Dictionary<long, List<string>> ParseAddressTables(string dump)
    {
        var tables = new Dictionary<long, List<string>>();
        long offset = 0;
        List<string>? current = null;
        foreach (string raw in dump.Split('\n'))
        {
            string line = raw.Trim();
            var header = Regex.Match(line, @"Address table header: length = 0x([0-9a-f]+), format = DWARF32");
            if (header.Success)
            {
                current = [];
                tables[offset + 8] = current;
                offset += 4 + long.Parse(header.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                continue;
            }

            if (current is not null && line.StartsWith("0x", StringComparison.Ordinal))
                current.Add("0x" + ulong.Parse(line[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture).ToString("x8", CultureInfo.InvariantCulture));
        }

        return tables;
    }

    [GeneratedRegex(@"^0x([0-9a-f]{16})\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*(.*)$")]
    private static partial Regex RowLine();

    [GeneratedRegex(@"^include_directories\[\s*(\d+)\] = (.*)$")]
    private static partial Regex DirectoryLine();

    [GeneratedRegex(@"^file_names\[\s*(\d+)\]:$")]
    private static partial Regex FileLine();

    /// <summary>
    /// Normalizes a <c>--debug-line</c> dump: per line table, the header fields that do not depend on
    /// layout, the file table, and every row. Across versions, the header is reduced to the rows'
    /// meaning and file numbers become paths.
    /// </summary>
    public static string Line(string dump, Options? options = null)
    {
        options ??= new Options();
        var text = new StringBuilder();
        var directories = new Dictionary<int, string>();
        var files = new Dictionary<int, (string Name, int Directory)>();
        int currentFile = -1;
        foreach (string raw in dump.Split('\n'))
        {
            string line = raw.Trim();
            if (line.StartsWith("debug_line[", StringComparison.Ordinal))
            {
                directories.Clear();
                files.Clear();
                text.Append("line table\n");
                continue;
            }

            if (line.Length == 0 || line.StartsWith("total_length:", StringComparison.Ordinal) || line.StartsWith("prologue_length:", StringComparison.Ordinal)
                || line.StartsWith("Address ", StringComparison.Ordinal) || line.StartsWith("---", StringComparison.Ordinal)
                || line.EndsWith("file format WASM", StringComparison.Ordinal) || line.EndsWith("contents:", StringComparison.Ordinal))
                continue;
            var directory = DirectoryLine().Match(line);
            if (directory.Success)
            {
                directories[int.Parse(directory.Groups[1].Value, CultureInfo.InvariantCulture)] = directory.Groups[2].Value.Trim('"');
                if (!options.AcrossVersions)
                    text.Append(line).Append('\n');
                continue;
            }

            var file = FileLine().Match(line);
            if (file.Success)
            {
                currentFile = int.Parse(file.Groups[1].Value, CultureInfo.InvariantCulture);
                files[currentFile] = ("", 0);
                if (!options.AcrossVersions)
                    text.Append(line).Append('\n');
                continue;
            }

            if (line.StartsWith("name:", StringComparison.Ordinal) && currentFile >= 0)
                files[currentFile] = (line["name:".Length..].Trim().Trim('"'), files[currentFile].Directory);
            else if (line.StartsWith("dir_index:", StringComparison.Ordinal) && currentFile >= 0)
                files[currentFile] = (files[currentFile].Name, int.Parse(line["dir_index:".Length..].Trim(), CultureInfo.InvariantCulture));

            var row = RowLine().Match(line);
            if (row.Success)
            {
                string fileText = row.Groups[4].Value;
                if (options.AcrossVersions)
                    fileText = FilePath(int.Parse(fileText, CultureInfo.InvariantCulture), files, directories);
                text.Append($"{row.Groups[1].Value} {row.Groups[2].Value} {row.Groups[3].Value} {fileText} {row.Groups[5].Value} {row.Groups[6].Value} {row.Groups[7].Value} {row.Groups[8].Value}\n");
                continue;
            }

            if (!options.AcrossVersions)
                text.Append(line).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>A file's path as the line table names it; directory 0 is the compilation directory in every version.</summary>
    private static string FilePath(int index, Dictionary<int, (string Name, int Directory)> files, Dictionary<int, string> directories)
    {
        if (!files.TryGetValue(index, out var file))
            return $"<file {index}>";
        string directory = file.Directory == 0 ? "<comp_dir>" : directories.GetValueOrDefault(file.Directory, $"<dir {file.Directory}>");
        return $"{directory}/{file.Name}";
    }
}
