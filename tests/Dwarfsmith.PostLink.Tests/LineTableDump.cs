using System.Text.RegularExpressions;
using Dwarfsmith.TestSupport;
using Xunit;

namespace Dwarfsmith.PostLink.Tests;

/// <summary>One row of <c>llvm-dwarfdump --debug-line</c>: everything but the address is what must survive a move.</summary>
public readonly record struct LineTableRow(ulong Address, ulong SequenceStart, int Table, string Rest)
{
    public bool EndsSequence => Rest.Contains("end_sequence", StringComparison.Ordinal);
}

/// <summary>Reads the line tables as llvm-dwarfdump prints them (the oracle, not our reader).</summary>
public static partial class LineTableDump
{
    public static IReadOnlyList<LineTableRow> Rows(string wasmPath)
    {
        var result = ProcessRunner.Run(Toolchain.LlvmDwarfdump, ["--debug-line", wasmPath], new ProcessOptions { Timeout = TimeSpan.FromMinutes(5) });
        Assert.True(result.Succeeded, result.Describe());
        var rows = new List<LineTableRow>();
        int table = -1;
        ulong? sequenceStart = null;
        foreach (var line in result.StandardOutput.Split('\n'))
        {
            if (line.StartsWith("debug_line[", StringComparison.Ordinal))
            {
                table++;
                continue;
            }
            if (Row().Match(line) is not { Success: true } match)
                continue;
            ulong address = Convert.ToUInt64(match.Groups[1].Value, 16);
            sequenceStart ??= address;
            var row = new LineTableRow(address, sequenceStart.Value, table, Regex.Replace(match.Groups[2].Value.Trim(), @"\s+", " "));
            rows.Add(row);
            if (row.EndsSequence)
                sequenceStart = null;
        }
        return rows;
    }

    /// <summary>Rows of dead code (sequences wasm-ld tombstoned at −1/−2, or at 0 where no code can be): never mapped.</summary>
    public static bool IsDead(LineTableRow row) => row.SequenceStart == 0 || row.SequenceStart >= 0xFFFF_FFFE;

    [GeneratedRegex(@"^0x([0-9a-f]{16})\s+(\d+\s+\d+\s+\d+\s+\d+\s+\d+\s+\d+\s.*)$")]
    private static partial Regex Row();
}
