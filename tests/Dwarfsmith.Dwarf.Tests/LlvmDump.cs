using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Dwarfsmith.TestSupport;

namespace Dwarfsmith.Dwarf.Tests;

internal sealed record LlvmAttribute(string Name, string Form, string Value);

internal sealed record LlvmEntry(long Offset, string Tag, int Depth, List<LlvmAttribute> Attributes);

internal sealed record LlvmUnit(long Offset, ulong Length, string Format, int Version, string? UnitType, long AbbrevOffset, int AddressSize);

internal sealed record LlvmRow(ulong Address, ulong Line, ulong Column, ulong File, ulong Isa, ulong Discriminator, ulong OpIndex, string Flags);

internal sealed class LlvmLineTable
{
    public long Offset { get; init; }

    public Dictionary<string, string> Header { get; } = [];

    public List<string> Directories { get; } = [];

    public List<string> FileNames { get; } = [];

    public List<LlvmRow> Rows { get; } = [];
}

/// <summary>Runs llvm-dwarfdump-22 and parses its text output.</summary>
internal static partial class LlvmDump
{
    public static string Run(string path, params string[] options)
    {
        var result = ProcessRunner.Run(Toolchain.LlvmDwarfdump, [.. options, path], new ProcessOptions { Timeout = TimeSpan.FromMinutes(5) });
        return result.EnsureSuccess().StandardOutput;
    }

    public static string RunTool(string tool, params string[] arguments) =>
        ProcessRunner.Run(tool, arguments).EnsureSuccess().StandardOutput;

    /// <summary>Parses <c>--debug-info --show-form</c> output.</summary>
    public static (List<LlvmUnit> Units, List<LlvmEntry> Entries) ParseInfo(string text)
    {
        var units = new List<LlvmUnit>();
        var entries = new List<LlvmEntry>();
        LlvmEntry? current = null;
        var value = new StringBuilder();
        string? attrName = null, attrForm = null;

        void Flush()
        {
            if (attrName is not null && current is not null)
            {
                var v = value.ToString();
                if (v.EndsWith(')'))
                    v = v[..^1];
                current.Attributes.Add(new LlvmAttribute(attrName, attrForm!, v));
            }

            attrName = null;
            value.Clear();
        }

        foreach (var line in text.Split('\n'))
        {
            Match m;
            if ((m = UnitLine().Match(line)).Success)
            {
                Flush();
                current = null;
                units.Add(new LlvmUnit(
                    Hex(m.Groups[1].Value), (ulong)Hex(m.Groups[2].Value), m.Groups[3].Value, (int)Hex(m.Groups[4].Value),
                    m.Groups[5].Success ? m.Groups[5].Value : null, Hex(m.Groups[6].Value), (int)Hex(m.Groups[7].Value)));
            }
            else if ((m = EntryLine().Match(line)).Success)
            {
                Flush();
                current = new LlvmEntry(Hex(m.Groups[1].Value), m.Groups[3].Value, (m.Groups[2].Value.Length - 1) / 2, []);
                entries.Add(current);
            }
            else if ((m = AttributeLine().Match(line)).Success)
            {
                Flush();
                attrName = m.Groups[1].Value;
                attrForm = m.Groups[2].Value;
                value.Append(m.Groups[3].Value);
            }
            else if (attrName is not null && line.Trim().Length > 0)
            {
                value.Append('\n').Append(line.Trim());
            }
            else if (line.Trim().Length == 0)
            {
                Flush();
            }
        }

        Flush();
        return (units, entries);
    }

    /// <summary>Parses <c>--debug-line</c> output.</summary>
    public static List<LlvmLineTable> ParseLine(string text)
    {
        var tables = new List<LlvmLineTable>();
        LlvmLineTable? t = null;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd();
            Match m;
            if ((m = LineTableStart().Match(line)).Success)
            {
                t = new LlvmLineTable { Offset = Hex(m.Groups[1].Value) };
                tables.Add(t);
            }
            else if (t is null)
            {
                continue;
            }
            else if ((m = RowLine().Match(line)).Success)
            {
                t.Rows.Add(new LlvmRow((ulong)Hex(m.Groups[1].Value), U(m.Groups[2].Value), U(m.Groups[3].Value), U(m.Groups[4].Value),
                    U(m.Groups[5].Value), U(m.Groups[6].Value), U(m.Groups[7].Value), m.Groups[8].Value.Trim()));
            }
            else if ((m = DirLine().Match(line)).Success)
            {
                t.Directories.Add(m.Groups[1].Value);
            }
            else if ((m = FileNameLine().Match(line)).Success)
            {
                t.FileNames.Add(m.Groups[1].Value);
            }
            else if ((m = HeaderField().Match(line)).Success)
            {
                t.Header.TryAdd(m.Groups[1].Value, m.Groups[2].Value);
            }
        }

        return tables;
    }

    public static long Hex(string s) => (long)ulong.Parse(s.StartsWith("0x", StringComparison.Ordinal) ? s[2..] : s, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    private static ulong U(string s) => ulong.Parse(s, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^0x([0-9a-f]+): .*Unit: length = 0x([0-9a-f]+), format = (DWARF32|DWARF64), version = 0x([0-9a-f]+)(?:, unit_type = (\w+))?, abbr_offset = 0x([0-9a-f]+), addr_size = 0x([0-9a-f]+)")]
    private static partial Regex UnitLine();

    [GeneratedRegex(@"^0x([0-9a-f]{8,16}):( +)(\S+)\s*$")]
    private static partial Regex EntryLine();

    [GeneratedRegex(@"^\s+(DW_AT_\w+) \[(DW_FORM_\w+)\]\t\((.*)$")]
    private static partial Regex AttributeLine();

    [GeneratedRegex(@"^debug_line\[0x([0-9a-f]+)\]")]
    private static partial Regex LineTableStart();

    [GeneratedRegex(@"^0x([0-9a-f]{16})\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)(.*)$")]
    private static partial Regex RowLine();

    [GeneratedRegex(@"^include_directories\[\s*\d+\] = (.*)$")]
    private static partial Regex DirLine();

    [GeneratedRegex(@"^\s+name: (.*)$")]
    private static partial Regex FileNameLine();

    [GeneratedRegex(@"^\s*([a-z_]+): (.*)$")]
    private static partial Regex HeaderField();
}
