using System.Text;
using System.Text.RegularExpressions;
using Xunit;

namespace Dwarfsmith.Dwarf.Writing.Tests;

/// <summary>Abbreviations, strings and addresses are emitted once; forms are the smallest that fit.</summary>
public partial class DeduplicationTests
{
    [GeneratedRegex(@"^\[(\d+)\] DW_TAG_", RegexOptions.Multiline)]
    private static partial Regex AbbreviationDeclaration();

    [GeneratedRegex(@"^0x[0-9a-f]+:\s+DW_TAG_\w+ \[(\d+)\]", RegexOptions.Multiline)]
    private static partial Regex EntryCode();

    private static DwarfOutput Units(int count, ushort version, bool addressIndex = false)
    {
        var output = new DwarfOutput();
        for (int u = 0; u < count; u++)
        {
            var program = Models.LineProgram(version, DwarfFormat.Dwarf32, $"unit{u}.c");
            var lineProgram = output.AddLineProgram(program);
            var unit = output.AddUnit(version, 4);
            unit.UseAddressIndex = addressIndex;
            ulong low = 0x100;
            var root = unit.Root
                .Add(DwAt.DW_AT_producer, AttributeValue.String("clang version 22.0.0"))
                .Add(DwAt.DW_AT_name, AttributeValue.String($"unit{u}.c"))
                .Add(DwAt.DW_AT_stmt_list, AttributeValue.LineProgram(lineProgram))
                .Add(DwAt.DW_AT_comp_dir, version >= 5 ? AttributeValue.LineString("/work/src") : AttributeValue.String("/work/src"))
                .Add(DwAt.DW_AT_low_pc, AttributeValue.Address(low))
                .Add(DwAt.DW_AT_high_pc, AttributeValue.Unsigned(0x160));
            var intType = root.AddChild(DwTag.DW_TAG_base_type)
                .Add(DwAt.DW_AT_name, AttributeValue.String("int"))
                .Add(DwAt.DW_AT_encoding, AttributeValue.Unsigned((ulong)DwAte.DW_ATE_signed))
                .Add(DwAt.DW_AT_byte_size, AttributeValue.Unsigned(4));
            for (int f = 0; f < 3; f++)
            {
                root.AddChild(DwTag.DW_TAG_subprogram)
                    .Add(DwAt.DW_AT_low_pc, AttributeValue.Address(low + (ulong)(f * 0x20)))
                    .Add(DwAt.DW_AT_high_pc, AttributeValue.Unsigned(0x20))
                    .Add(DwAt.DW_AT_name, AttributeValue.String($"function{f}"))
                    .Add(DwAt.DW_AT_type, AttributeValue.Reference(intType))
                    .Add(DwAt.DW_AT_external, AttributeValue.Flag(true));
            }
        }

        return output;
    }

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public void Identical_abbreviations_are_emitted_once_and_shared_by_all_units(int version)
    {
        var one = Units(1, (ushort)version).Emit();
        var output = Units(20, (ushort)version);
        string path = DwarfTool.EmitAndWrap(output, $"dedup-abbrev-v{version}", out var many);
        ModelChecker.Check(output, path);

        Assert.Equal(one[".debug_abbrev"].ToArray(), many[".debug_abbrev"]);
        string abbreviations = DwarfTool.Dump(path, "--debug-abbrev");
        Assert.Equal(["1", "2", "3"], AbbreviationDeclaration().Matches(abbreviations).Select(m => m.Groups[1].Value));
        var codes = EntryCode().Matches(DwarfTool.Dump(path, "-v", "--debug-info")).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(20 * 5, codes.Count);
        Assert.Equal(Enumerable.Repeat<string[]>(["1", "2", "3", "3", "3"], 20).SelectMany(c => c), codes);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public void Strings_are_emitted_once(int version)
    {
        var output = Units(20, (ushort)version);
        string path = DwarfTool.EmitAndWrap(output, $"dedup-str-v{version}", out var sections);
        DwarfTool.Verify(path);

        byte[] str = sections[".debug_str"];
        Assert.Equal(1, Occurrences(str, "clang version 22.0.0\0"));
        Assert.Equal(1, Occurrences(str, "\0int\0"));
        Assert.Equal(1, Occurrences(str, "function2\0"));
        var distinct = new List<string> { "clang version 22.0.0", "int", "function0", "function1", "function2" };
        distinct.AddRange(Enumerable.Range(0, 20).Select(u => $"unit{u}.c"));
        if (version < 5)
            distinct.Add("/work/src");
        Assert.Equal(distinct.Sum(s => Encoding.UTF8.GetByteCount(s) + 1), str.Length);

        if (version >= 5)
        {
            // One .debug_str_offsets contribution per unit: header plus one slot per distinct string it uses.
            Assert.Equal(20 * (8 + (6 * 4)), sections[".debug_str_offsets"].Length);
            byte[] lineStr = sections[".debug_line_str"];
            Assert.Equal(1, Occurrences(lineStr, "/work/src\0"));
            Assert.Equal(1, Occurrences(lineStr, "header.h\0"));
        }
    }

    [Fact]
    public void Addresses_are_pooled_once_per_unit()
    {
        var output = Units(3, 5, addressIndex: true);
        var unit = output.Units[0];
        unit.Root.Children[1].AddChild(DwTag.DW_TAG_label).Add(DwAt.DW_AT_low_pc, AttributeValue.Address(0x100)); // same as the unit's low_pc
        string path = DwarfTool.EmitAndWrap(output, "dedup-addr", out var sections);
        ModelChecker.Check(output, path);
        // Per unit: header and the addresses 0x100, 0x120, 0x140.
        Assert.Equal(3 * (8 + (3 * 4)), sections[".debug_addr"].Length);
    }

    [Fact]
    public void Forms_are_the_smallest_that_fit_the_unit()
    {
        var output = new DwarfOutput();
        var small = output.AddUnit(5, 4);
        small.UseAddressIndex = true;
        var smallType = small.Root.AddChild(DwTag.DW_TAG_base_type).Add(DwAt.DW_AT_name, AttributeValue.String("int"));
        small.Root.Add(DwAt.DW_AT_low_pc, AttributeValue.Address(0));
        small.Root.AddChild(DwTag.DW_TAG_typedef).Add(DwAt.DW_AT_type, AttributeValue.Reference(smallType));

        var big = output.AddUnit(5, 4);
        big.UseAddressIndex = true;
        var bigType = big.Root.AddChild(DwTag.DW_TAG_base_type).Add(DwAt.DW_AT_name, AttributeValue.String("int"));
        for (int i = 0; i < 300; i++)
        {
            big.Root.AddChild(DwTag.DW_TAG_variable)
                .Add(DwAt.DW_AT_name, AttributeValue.String($"variable_number_{i}"))
                .Add(DwAt.DW_AT_type, AttributeValue.Reference(bigType))
                .Add(DwAt.DW_AT_location, AttributeValue.Expression(Enumerable.Repeat((byte)0x96, 220).ToArray())) // DW_OP_nop × 220
                .Add(DwAt.DW_AT_low_pc, AttributeValue.Address((ulong)i * 16));
        }

        string path = DwarfTool.EmitAndWrap(output, "compact-forms", out _);
        DwarfTool.Verify(path);
        var units = DumpParser.ParseInfo(DwarfTool.Dump(path, "-v", "--debug-info"));
        var smallTypedef = units[0].Root.Children[1];
        Assert.Equal("DW_FORM_ref1", smallTypedef.Attributes.Single(a => a.Name == "DW_AT_type").Form);
        Assert.Equal("DW_FORM_strx1", units[0].Root.Children[0].Attributes[0].Form);
        // Address indices stay ULEB (DW_FORM_addrx), as LLVM writes them: lldb-22 cannot read addrx1–addrx4.
        Assert.Equal("DW_FORM_addrx", units[0].Root.Attributes.Single(a => a.Name == "DW_AT_low_pc").Form);
        var last = units[1].Root.Children[^1];
        Assert.Equal("DW_FORM_ref4", last.Attributes.Single(a => a.Name == "DW_AT_type").Form); // the unit is > 64 KiB
        Assert.Equal("DW_FORM_strx2", last.Attributes.Single(a => a.Name == "DW_AT_name").Form);
        Assert.Equal("DW_FORM_addrx", last.Attributes.Single(a => a.Name == "DW_AT_low_pc").Form);
        Assert.Contains("\"variable_number_299\"", last.Attributes[0].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_block_the_emitter_cannot_size_is_refused_and_one_just_below_the_limit_is_written()
    {
        // The emitter keeps each attribute's size in 28 bits: a block of 256 MiB or more is refused by name.
        const int limit = (1 << 28) - 1;
        var block = new byte[limit]; // DW_FORM_block4: a 4-byte length, then the bytes
        DwarfOutput Unit(int length)
        {
            var output = new DwarfOutput();
            output.AddUnit(4, 4).Root.AddChild(DwTag.DW_TAG_variable).Add(DwAt.DW_AT_const_value, AttributeValue.Block(block.AsMemory(0, length), DwForm.DW_FORM_block4));
            return output;
        }

        var info = Unit(limit - 4).Emit()[".debug_info"];
        Assert.True(info.Length > limit - 4, $".debug_info is {info.Length:N0} bytes");
        var error = Assert.Throws<NotSupportedException>(() => Unit(limit - 3).Emit());
        Assert.Contains("268,435,456 bytes", error.Message, StringComparison.Ordinal);
    }

    private static int Occurrences(byte[] haystack, string needle)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(needle);
        int count = 0;
        for (int i = haystack.AsSpan().IndexOf(bytes); i >= 0;)
        {
            count++;
            int next = haystack.AsSpan(i + 1).IndexOf(bytes);
            i = next < 0 ? -1 : i + 1 + next;
        }

        return count;
    }
}
