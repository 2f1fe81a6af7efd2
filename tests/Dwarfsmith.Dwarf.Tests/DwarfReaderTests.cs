using Dwarfsmith.Dwarf.Reading;
using Xunit;

namespace Dwarfsmith.Dwarf.Tests;

public class DwarfReaderTests
{
    [Theory]
    [InlineData("00", 0UL)]
    [InlineData("7F", 127UL)]
    [InlineData("E58E26", 624485UL)]
    [InlineData("8080808000", 0UL)]
    [InlineData("FFFFFFFFFFFFFFFFFF01", ulong.MaxValue)]
    public void ULEB128_reads_up_to_64_bits(string hex, ulong value)
    {
        var r = new DwarfReader(Convert.FromHexString(hex), ".debug_info");
        Assert.Equal(value, r.ReadULeb128());
        Assert.True(r.AtEnd);
    }

    [Theory]
    [InlineData("7F", -1L)]
    [InlineData("C0BB78", -123456L)]
    [InlineData("FFFFFFFFFFFFFFFF7F", -1L)]
    [InlineData("808080808080808080 7F", long.MinValue)]
    public void SLEB128_reads_up_to_64_bits(string hex, long value)
    {
        var r = new DwarfReader(Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal)), ".debug_info");
        Assert.Equal(value, r.ReadSLeb128());
    }

    [Theory]
    [InlineData("FFFFFFFFFFFFFFFFFF02")] // bit 64 set
    [InlineData("8080808080808080808000")] // 11 bytes
    [InlineData("8080")] // truncated
    public void ULEB128_overflow_and_truncation_name_the_offset(string hex)
    {
        var e = Assert.Throws<DwarfFormatException>(() =>
        {
            var r = new DwarfReader(Convert.FromHexString("AA" + hex), ".debug_line", 0x40);
            r.ReadU8();
            r.ReadULeb128();
        });
        Assert.Equal(".debug_line", e.Section);
        Assert.Equal(0x41, e.Offset);
        Assert.StartsWith("at 0x41 in .debug_line: ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fixed_integers_offsets_addresses_and_strings()
    {
        var r = new DwarfReader(Convert.FromHexString("01" + "0201" + "030201" + "04030201" + "0807060504030201" + "414200" + "FFFFFFFF1000000000000000"), ".debug_str");
        Assert.Equal(1UL, r.ReadUInt(1));
        Assert.Equal(0x102UL, r.ReadUInt(2));
        Assert.Equal(0x10203UL, r.ReadUInt(3));
        Assert.Equal(0x1020304UL, r.ReadUInt(4));
        Assert.Equal(0x102030405060708UL, r.ReadAddress(8));
        Assert.Equal("AB"u8.ToArray(), r.ReadCString().ToArray());
        Assert.Equal((16UL, 8), r.ReadInitialLength());
        Assert.True(r.AtEnd);
        Assert.Throws<DwarfFormatException>(() => new DwarfReader([1, 2], ".debug_str").ReadU32());
        Assert.Throws<DwarfFormatException>(() => new DwarfReader([0x41], ".debug_str").ReadCString().ToArray());
        Assert.Throws<DwarfFormatException>(() => new DwarfReader([0xF0, 0xFF, 0xFF, 0xFF], ".debug_info").ReadInitialLength());
    }

    [Fact]
    public void Sections_missing_from_the_container_read_as_empty()
    {
        var sections = new DwarfSections(4, [new DwarfSection(DwarfSections.Info, new byte[] { 1 }, 0x200)]);
        Assert.True(sections[DwarfSections.Line].IsEmpty);
        Assert.Equal(0x200, sections[DwarfSections.Info].FileOffset);
        var e = Assert.Throws<DwarfFormatException>(() => new DwarfContext(sections).Units.Count);
        Assert.Equal(DwarfSections.Info, e.Section);
    }
}
