using Xunit;

namespace Dwarfsmith.Wasm.Tests;

public class LebTests
{
    [Theory]
    [InlineData(new byte[] { 0x00 }, 0u)]
    [InlineData(new byte[] { 0x7F }, 127u)]
    [InlineData(new byte[] { 0x80, 0x01 }, 128u)]
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x00 }, 0u)]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x0F }, uint.MaxValue)]
    public void Reads_unsigned_32(byte[] bytes, uint expected)
    {
        var reader = new WasmReader(bytes, 0, "test");
        Assert.Equal(expected, reader.ReadVarUInt32());
        Assert.True(reader.AtEnd);
    }

    [Theory]
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x80, 0x00 }, "integer representation too long")]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x1F }, "integer too large")]
    [InlineData(new byte[] { 0x80 }, "unexpected end")]
    public void Rejects_bad_unsigned_32(byte[] bytes, string reason)
    {
        var ex = Assert.Throws<WasmFormatException>(() =>
        {
            var reader = new WasmReader(bytes, 0x10, "test");
            reader.ReadVarUInt32();
        });
        Assert.Equal(reason, ex.Reason);
        Assert.InRange(ex.Offset, 0x10, 0x10 + bytes.Length);
    }

    [Theory]
    [InlineData(new byte[] { 0x7F }, -1)]
    [InlineData(new byte[] { 0x3F }, 63)]
    [InlineData(new byte[] { 0x40 }, -64)]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x07 }, int.MaxValue)]
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x78 }, int.MinValue)]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x7F }, -1)]
    public void Reads_signed_32(byte[] bytes, int expected)
    {
        var reader = new WasmReader(bytes, 0, "test");
        Assert.Equal(expected, reader.ReadVarInt32());
    }

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x4F })]
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x70 })]
    public void Rejects_signed_32_with_bad_unused_bits(byte[] bytes)
    {
        Assert.Throws<WasmFormatException>(() =>
        {
            var reader = new WasmReader(bytes, 0, "test");
            reader.ReadVarInt32();
        });
    }

    [Fact]
    public void Signed_64_round_trips_through_writer()
    {
        long[] values = [0, 1, -1, 63, 64, -64, -65, long.MaxValue, long.MinValue, 1L << 40, -(1L << 40)];
        foreach (var value in values)
        {
            var writer = new WasmWriter();
            writer.WriteVarInt64(value);
            var reader = new WasmReader(writer.WrittenSpan, 0, "test");
            Assert.Equal(value, reader.ReadVarInt64());
            Assert.True(reader.AtEnd);
        }
    }

    [Fact]
    public void Padded_unsigned_keeps_width()
    {
        var writer = new WasmWriter();
        writer.WriteVarUInt32(3, width: 5);
        Assert.Equal(new byte[] { 0x83, 0x80, 0x80, 0x80, 0x00 }, writer.ToArray());
        var reader = new WasmReader(writer.WrittenSpan, 0, "test");
        Assert.Equal(3u, reader.ReadVarUInt32());
    }
}
