using System.Globalization;
using System.Text.RegularExpressions;
using Dwarfsmith.TestSupport;
using Xunit;

namespace Dwarfsmith.Dwarf.Transform.Tests;

/// <summary>
/// Adds each row twice, out of address order: at its own address, then at the start of its
/// sequence with its column raised by 1000 (what a visitor that maps one wasm row to several native
/// pcs does: the later copies land before earlier rows).
/// </summary>
internal sealed class RowsOutOfOrderVisitor : DwarfVisitor
{
    public const uint ColumnShift = 1000;

    public override void VisitLineSequence(LineSequenceInput sequence, LineSequenceSink output)
    {
        ulong start = sequence.Rows.Length > 0 ? sequence.Rows[0].Address : sequence.EndAddress;
        foreach (ref readonly var row in sequence.Rows)
        {
            output.AddRow(LineSequenceSink.Convert(row, row.Address));
            output.AddRow(LineSequenceSink.Convert(row with { Column = row.Column + ColumnShift }, start));
        }

        output.EndSequence(sequence.EndAddress);
    }
}

/// <summary>
/// A sequence's rows, added out of address order, are written sorted by address, and rows at one
/// address in the order they were added (a stable sort): llvm-dwarfdump --verify accepts the line
/// table, and its rows are the input's rows and copies, as llvm-dwarfdump reads the input, sorted so.
/// </summary>
public partial class LineRowOrderTests
{
    [Theory]
    [InlineData("loops", OptLevel.O2, 4)]
    [InlineData("structs", OptLevel.O0, 5)]
    public void Rows_added_out_of_order_are_written_sorted_and_stable(string program, OptLevel opt, int version)
    {
        string input = Corpus.Get(program).BuildWasm(opt, version).Path;
        string output = Rewriting.Rewrite(input, new RowsOutOfOrderVisitor(), $"rows-out-of-order-{program}-{opt}-v{version}");
        Rewriting.AssertNoNewVerifyErrors(input, output);

        var expected = new List<string>();
        foreach (var sequence in Sequences(Rewriting.Dump(input, "--debug-line")))
        {
            var rows = sequence.SkipLast(1).ToList(); // the end_sequence row
            if (rows.Count == 0 || rows[0].Address is 0 or >= 0xFFFFFFFE)
            {
                expected.AddRange(sequence.Select(r => r.ToString()));
                continue; // dead code: copied as it is
            }

            ulong start = rows[0].Address;
            var added = rows.SelectMany(r => new[] { r, r with { Address = start, Column = r.Column + RowsOutOfOrderVisitor.ColumnShift } });
            expected.AddRange(added.OrderBy(r => r.Address).Select(r => r.ToString())); // OrderBy is stable
            expected.Add(sequence[^1].ToString());
        }

        var actual = Sequences(Rewriting.Dump(output, "--debug-line")).SelectMany(s => s.Select(r => r.ToString())).ToList();
        Assert.Equal(expected.Count, actual.Count);
        Assert.Equal(expected, actual);
    }

    private readonly record struct Row(ulong Address, ulong Line, ulong Column, ulong File, bool End)
    {
        public override string ToString() => $"0x{Address:x} {Line}:{Column} file {File}{(End ? " end_sequence" : "")}";
    }

    /// <summary>The line tables' sequences as llvm-dwarfdump reads them, each ending with its end_sequence row.</summary>
    private static List<List<Row>> Sequences(string dump)
    {
        var sequences = new List<List<Row>>();
        var current = new List<Row>();
        foreach (Match m in RowLine().Matches(dump))
        {
            var row = new Row(Parse(m.Groups[1].Value, 16), Parse(m.Groups[2].Value, 10), Parse(m.Groups[3].Value, 10), Parse(m.Groups[4].Value, 10),
                m.Groups[5].Value.Contains("end_sequence", StringComparison.Ordinal));
            current.Add(row);
            if (row.End)
            {
                sequences.Add(current);
                current = [];
            }
        }

        return sequences;
    }

    private static ulong Parse(string text, int radix) =>
        radix == 16 ? ulong.Parse(text, NumberStyles.HexNumber, CultureInfo.InvariantCulture) : ulong.Parse(text, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^0x([0-9a-f]+)[ \t]+(\d+)[ \t]+(\d+)[ \t]+(\d+)[ \t]+\d+[ \t]+\d+[ \t]+\d+[ \t]*(.*)$", RegexOptions.Multiline)]
    private static partial Regex RowLine();
}
