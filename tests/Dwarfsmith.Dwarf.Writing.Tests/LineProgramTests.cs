using System.Text.RegularExpressions;
using Xunit;

namespace Dwarfsmith.Dwarf.Writing.Tests;

/// <summary>Line programs: random rows round-trip exactly through llvm-dwarfdump --debug-line, compactly.</summary>
public partial class LineProgramTests
{
    [GeneratedRegex(@"^0x[0-9a-f]+: [0-9a-f]{2} address \+= ", RegexOptions.Multiline)]
    private static partial Regex SpecialOpcode();

    [Fact]
    public void A_row_keeps_every_register_it_is_given_and_refuses_what_it_cannot_hold()
    {
        var row = new LineRow(0x1234, uint.MaxValue, ulong.MaxValue, 77)
        {
            BasicBlock = true,
            EpilogueBegin = true,
            Isa = ushort.MaxValue,
            Discriminator = uint.MaxValue,
        };
        Assert.Equal((0x1234UL, (ulong)uint.MaxValue, ulong.MaxValue, 77UL), (row.Address, row.File, row.Line, row.Column));
        Assert.Equal((true, true, false, true), (row.IsStmt, row.BasicBlock, row.PrologueEnd, row.EpilogueBegin));
        Assert.Equal(((ulong)ushort.MaxValue, (ulong)uint.MaxValue), (row.Isa, row.Discriminator));
        row.IsStmt = false;
        Assert.False(row.IsStmt);
        Assert.True(row.BasicBlock && row.EpilogueBegin);
        Assert.Equal(row, row with { });
        Assert.NotEqual(row, row with { Column = 78 });
        Assert.Throws<ArgumentOutOfRangeException>(() => row with { File = (ulong)uint.MaxValue + 1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => row with { Isa = 0x10000 });
    }

    public static TheoryData<int, int, DwarfFormat> Seeds()
    {
        var data = new TheoryData<int, int, DwarfFormat>();
        foreach (int version in new[] { 2, 3, 4, 5 })
        {
            for (int seed = 1; seed <= 4; seed++)
                data.Add(version, seed, DwarfFormat.Dwarf32);
        }

        data.Add(4, 11, DwarfFormat.Dwarf64);
        data.Add(5, 12, DwarfFormat.Dwarf64);
        return data;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Random_rows_round_trip_exactly_and_use_special_opcodes(int version, int seed, DwarfFormat format)
    {
        var output = new DwarfOutput();
        var program = RandomProgram((ushort)version, format, new Random(seed), out int naiveSize);
        output.AddLineProgram(program);
        string path = DwarfTool.EmitAndWrap(output, $"lines-v{version}-{seed}-{format}", out var sections);
        DwarfTool.Verify(path);

        var tables = DumpParser.ParseLines(DwarfTool.Dump(path, "--debug-line"));
        Assert.Single(tables);
        Assert.Equal(ModelChecker.ExpectedRows(program), tables[0].Rows);

        string verbose = DwarfTool.Dump(path, "-v", "--debug-line");
        int specials = SpecialOpcode().Count(verbose);
        int rows = program.Sequences.Sum(s => s.Rows.Count);
        Assert.True(specials >= rows / 2, $"{specials} special opcodes for {rows} rows");
        var headerOnly = new DwarfOutput();
        var empty = RandomProgram((ushort)version, format, new Random(seed), out _);
        empty.Sequences.Clear();
        headerOnly.AddLineProgram(empty);
        naiveSize += headerOnly.Emit()[".debug_line"].Length;
        Assert.True(sections[".debug_line"].Length * 10 < naiveSize * 9, $"{sections[".debug_line"].Length} bytes, naive {naiveSize}");
    }

    [Theory]
    [InlineData(2, -1, 4, 10)]
    [InlineData(4, -3, 12, 13)]
    [InlineData(5, 0, 255 - 20, 20)]
    [InlineData(5, -10, 30, 10)]
    public void Given_header_parameters_are_kept(int version, int lineBase, int lineRange, int opcodeBase)
    {
        var output = new DwarfOutput();
        var program = RandomProgram((ushort)version, DwarfFormat.Dwarf32, new Random(version * 100 + lineRange), out _, withFlags: opcodeBase >= 13);
        program.LineBase = (sbyte)lineBase;
        program.LineRange = (byte)lineRange;
        program.OpcodeBase = (byte)opcodeBase;
        output.AddLineProgram(program);
        string path = DwarfTool.EmitAndWrap(output, $"lines-header-{version}-{lineBase}-{lineRange}-{opcodeBase}", out _);
        DwarfTool.Verify(path);
        string dump = DwarfTool.Dump(path, "--debug-line");
        Assert.Contains($"line_base: {lineBase}\n", dump);
        Assert.Contains($"line_range: {lineRange}\n", dump);
        Assert.Contains($"opcode_base: {opcodeBase}\n", dump);
        Assert.Equal(ModelChecker.ExpectedRows(program), DumpParser.ParseLines(dump)[0].Rows);
    }

    [Theory]
    [InlineData(DwForm.DW_FORM_line_strp, true, true)]
    [InlineData(DwForm.DW_FORM_strp, false, true)]
    [InlineData(DwForm.DW_FORM_string, true, false)]
    public void Version5_file_tables_with_md5_timestamps_and_path_forms(DwForm pathForm, bool md5, bool timestamps)
    {
        var output = new DwarfOutput();
        var program = new LineProgram(5, 4) { PathForm = pathForm, HasMd5 = md5, HasTimestampAndSize = timestamps };
        program.Directories.Add("/work/src");
        program.Directories.Add("/usr/include");
        byte[] hash0 = [.. Enumerable.Range(0, 16).Select(i => (byte)(i * 17))];
        byte[] hash1 = [.. Enumerable.Range(0, 16).Select(i => (byte)(255 - i))];
        program.Files.Add(new LineFile("main.c", 0) { Md5 = hash0, Timestamp = 1700000000, Size = 1234 });
        program.Files.Add(new LineFile("stdio.h", 1) { Md5 = hash1, Timestamp = 1600000000, Size = 99999 });
        var sequence = program.AddSequence(0x40);
        sequence.Rows.Add(new LineRow(0x10, 0, 1));
        sequence.Rows.Add(new LineRow(0x20, 1, 300, 4));
        output.AddLineProgram(program);
        string path = DwarfTool.EmitAndWrap(output, $"lines-v5-files-{pathForm}-{md5}-{timestamps}", out var sections);
        DwarfTool.Verify(path);
        string dump = DwarfTool.Dump(path, "--debug-line");

        Assert.Contains("include_directories[  0] = ", dump);
        Assert.Contains("\"/usr/include\"", dump);
        Assert.Contains("\"stdio.h\"", dump);
        Assert.Equal(md5, dump.Contains("md5_checksum: " + Convert.ToHexStringLower(hash1), StringComparison.Ordinal));
        Assert.Equal(timestamps, dump.Contains("mod_time: 0x5f5e1000", StringComparison.Ordinal));
        Assert.Equal(timestamps, dump.Contains("length: 0x0001869f", StringComparison.Ordinal));
        Assert.Equal(pathForm == DwForm.DW_FORM_line_strp, sections.ContainsKey(".debug_line_str"));
        Assert.Equal(pathForm == DwForm.DW_FORM_strp, sections.ContainsKey(".debug_str"));
        Assert.Equal(ModelChecker.ExpectedRows(program), DumpParser.ParseLines(dump)[0].Rows);
    }

    /// <summary>Random sequences of rows; also returns the size of a naive encoding (advance_pc, advance_line, copy per row).</summary>
    internal static LineProgram RandomProgram(ushort version, DwarfFormat format, Random random, out int naiveSize, bool withFlags = true)
    {
        var program = new LineProgram(version, 4, format);
        int fileCount = 1 + random.Next(4);
        if (version >= 5)
            program.Directories.Add("/work/src");
        for (int i = 0; i < fileCount; i++)
            program.Files.Add(new LineFile($"file{i}.c", 0));
        ulong firstFile = version >= 5 ? 0UL : 1UL;

        naiveSize = 0;
        ulong address = (ulong)random.Next(0, 0x1000);
        int sequences = 1 + random.Next(6);
        for (int s = 0; s < sequences; s++)
        {
            var sequence = program.AddSequence();
            int rows = random.Next(0, 120);
            ulong line = (ulong)random.Next(1, 2000);
            naiveSize += 7 + 3; // set_address, end_sequence
            for (int r = 0; r < rows; r++)
            {
                ulong delta = random.Next(10) switch
                {
                    0 => 0,
                    < 7 => (ulong)random.Next(1, 20),
                    < 9 => (ulong)random.Next(20, 300),
                    _ => (ulong)random.Next(300, 70000),
                };
                long lineDelta = random.Next(10) switch
                {
                    < 6 => random.Next(-3, 5),
                    < 9 => random.Next(-40, 40),
                    _ => random.Next(-1000, 1000),
                };
                line = (ulong)Math.Max(1, (long)line + lineDelta);
                address += delta;
                var row = new LineRow(address, firstFile + (ulong)(random.Next(8) == 0 ? random.Next(fileCount) : 0), line,
                    (ulong)(random.Next(3) == 0 ? random.Next(0, 200) : 0));
                if (random.Next(6) == 0)
                    row.IsStmt = false;
                if (withFlags)
                {
                    row.PrologueEnd = random.Next(10) == 0;
                    row.EpilogueBegin = random.Next(15) == 0;
                    row.Isa = random.Next(30) == 0 ? (ulong)random.Next(1, 4) : 0;
                }

                row.BasicBlock = random.Next(12) == 0;
                row.Discriminator = random.Next(10) == 0 ? (ulong)random.Next(1, 300) : 0;
                var previous = sequence.Rows.Count > 0 ? sequence.Rows[^1] : new LineRow(0, 1, 1, 0);
                sequence.Rows.Add(row);
                naiveSize += 1 + Uleb(delta) + 1 + Sleb(lineDelta) + 1
                    + (row.File != previous.File ? 1 + Uleb(row.File) : 0)
                    + (row.Column != previous.Column ? 1 + Uleb(row.Column) : 0)
                    + (row.IsStmt != previous.IsStmt ? 1 : 0)
                    + (row.BasicBlock ? 1 : 0) + (row.PrologueEnd ? 1 : 0) + (row.EpilogueBegin ? 1 : 0)
                    + (row.Isa != previous.Isa ? 1 + Uleb(row.Isa) : 0)
                    + (row.Discriminator != 0 ? 3 + Uleb(row.Discriminator) : 0);
            }

            address += (ulong)random.Next(1, 100);
            sequence.EndAddress = address;
            address += (ulong)random.Next(0, 1000);
        }

        return program;
    }

    private static int Uleb(ulong value)
    {
        int size = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            size++;
        }

        return size;
    }

    private static int Sleb(long value)
    {
        int size = 1;
        while (value is >= 0x40 or < -0x40)
        {
            value >>= 7;
            size++;
        }

        return size;
    }
}

/// <summary>Header parameters chosen from the rows: never larger than LLVM's defaults, rows unchanged.</summary>
public class LineHeaderChoiceTests
{
    [Theory]
    [InlineData(4, 1)]
    [InlineData(4, 2)]
    [InlineData(5, 3)]
    [InlineData(5, 4)]
    public void Chosen_parameters_shrink_or_keep_the_program_and_rows_round_trip(int version, int seed)
    {
        var program = LineProgramTests.RandomProgram((ushort)version, DwarfFormat.Dwarf32, new Random(seed), out _);
        var before = new DwarfOutput();
        before.AddLineProgram(program);
        int defaultSize = before.Emit()[".debug_line"].Length;

        program.ChooseHeaderParameters();
        var output = new DwarfOutput();
        output.AddLineProgram(program);
        string path = DwarfTool.EmitAndWrap(output, $"lines-chosen-{version}-{seed}", out var sections);
        DwarfTool.Verify(path);
        Assert.Equal(ModelChecker.ExpectedRows(program), DumpParser.ParseLines(DwarfTool.Dump(path, "--debug-line"))[0].Rows);
        Assert.True(sections[".debug_line"].Length <= defaultSize, $"{sections[".debug_line"].Length} > {defaultSize} (line_base {program.LineBase}, line_range {program.LineRange})");
    }
}
