using System.Text.RegularExpressions;
using Dwarfsmith.Dwarf.Reading;
using Dwarfsmith.TestSupport;
using Xunit;

namespace Dwarfsmith.Dwarf.Transform.Tests;

/// <summary>Writes every unit at address size 8 and changes nothing else (what the wasm→native visitor does to a wasm unit's format).</summary>
internal sealed class AddressSize8Visitor : DwarfVisitor
{
    public override byte OutputAddressSize(Unit unit) => 8;
}

/// <summary>
/// <see cref="DwarfVisitor.OutputAddressSize"/>: wasm modules' DWARF (address size 4, tombstones of
/// wasm-ld in the wasi-libc units) written at address size 8 into an ELF executable means what the
/// input meant, address for address, and its dead code stays dead at the new size.
/// </summary>
public partial class OutputAddressSizeTests
{
    public static TheoryData<string, OptLevel, int> Variants => new()
    {
        // DWARF 4 lists (.debug_ranges/.debug_loc with wasm-ld's −2), and DWARF 5 beside libc's DWARF 4.
        { "structs", OptLevel.O2, 4 }, { "loops", OptLevel.O2, 5 },
    };

    [Theory]
    [MemberData(nameof(Variants))]
    public void Units_written_at_address_size_8_mean_the_same_and_stay_dead_where_the_input_was(string program, OptLevel opt, int version)
    {
        string input = Corpus.Get(program).BuildWasm(opt, version).Path;
        var result = DwarfTransform.Run(NativeContainer.Wasm(input), new AddressSize8Visitor());
        Assert.All(result.Output.Units, u => Assert.Equal(8, u.AddressSize));
        Assert.All(result.Output.LinePrograms, p => Assert.Equal(8, p.AddressSize));
        string output = NativeContainer.WriteElf(NativeContainer.HostExecutable(program, version), result.Output.Emit(), $"size8-{program}-{opt}-v{version}");

        DwarfVerify.AssertNoNewErrors(input, output);
        string[] dumps = ["--debug-info", "--debug-line", "--debug-loc", "--debug-ranges", "--debug-rnglists", "--debug-loclists"];
        var before = dumps.ToDictionary(d => d, d => Rewriting.Dump(input, d));
        var after = dumps.ToDictionary(d => d, d => Rewriting.Dump(output, d));

        Assert.Contains("addr_size = 0x08", after["--debug-info"], StringComparison.Ordinal);
        Rewriting.AssertSameText(
            DumpNormalizer.Info(NativeContainer.AtAddressSize4(before["--debug-info"], 4)),
            DumpNormalizer.Info(NativeContainer.AtAddressSize4(after["--debug-info"], 8)),
            ".debug_info at address size 4 and 8");
        Rewriting.AssertSameText(LiveRows(before["--debug-line"], 4), LiveRows(after["--debug-line"], 8), "live line rows");

        // Dead code: each dead address of the input (dead functions' low_pc, dead globals'
        // DW_OP_addr) is the tombstone of the output's size; in every section, no tombstone is left
        // at 32 bits, and those of the lists are the new size's.
        Assert.True(DeadAddresses(before["--debug-info"], "ffffffff") > 0, "the input has no dead code to test with");
        Assert.True(Regex.Count(before["--debug-info"], @"\(dead code\)") > 0, "the input has no dead functions to test with");
        Assert.Equal(Regex.Count(before["--debug-info"], @"\(dead code\)"), Regex.Count(after["--debug-info"], @"\(dead code\)")); // llvm-dwarfdump's own reading
        Assert.Equal(DeadAddresses(before["--debug-info"], "ffffffff"), DeadAddresses(after["--debug-info"], "ffffffffffffffff"));
        foreach (string dump in dumps)
        {
            Assert.DoesNotMatch(StaleTombstone(), after[dump]);
            if (Regex.IsMatch(before[dump], "0x(0{8})?fffffffe"))
                Assert.Contains("0xfffffffffffffffe", after[dump], StringComparison.Ordinal);
        }

        if (version == 4)
            Assert.True(Regex.IsMatch(before["--debug-loc"] + before["--debug-ranges"], "0xfffffffe"), "no DWARF 4 list tombstones to test with");
    }

    /// <summary>How many DW_OP_addr operands of .debug_info are the tombstone <paramref name="digits"/> (dead globals).</summary>
    private static int DeadAddresses(string dump, string digits) => Regex.Count(dump, $"DW_OP_addr 0x{digits}(?![0-9a-f])");

    /// <summary>Line rows (address, line, column, file) outside dead sequences, addresses in 8 digits.</summary>
    private static string LiveRows(string dump, int addressSize)
    {
        var rows = new List<string>();
        foreach (Match row in LineRow().Matches(NativeContainer.AtAddressSize4(dump, addressSize)))
        {
            string address = row.Groups[1].Value;
            if (address.Length > 8 || address is "ffffffff" or "fffffffe")
                continue;
            rows.Add($"{address} {row.Groups[2].Value} {row.Groups[3].Value} {row.Groups[4].Value}");
        }

        return string.Join('\n', rows);
    }

    [GeneratedRegex(@"^0x([0-9a-f]+)\s+(\d+)\s+(\d+)\s+(\d+)", RegexOptions.Multiline)]
    private static partial Regex LineRow();

    /// <summary>A 4-byte tombstone printed at 8 bytes: a live address near 4 GiB in the output.</summary>
    [GeneratedRegex("0x00000000ffffffff|0x00000000fffffffe")]
    private static partial Regex StaleTombstone();
}
