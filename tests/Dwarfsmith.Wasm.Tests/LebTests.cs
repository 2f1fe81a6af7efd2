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

    [Theory]
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x80, 0x00 }, "integer representation too long", 4)]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x1F }, "integer too large", 4)]
    [InlineData(new byte[] { 0x80, 0x80 }, "unexpected end", 2)]
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80 }, "unexpected end", 4)] // ends where the last byte would be
    public void Errors_point_at_the_offending_byte(byte[] bytes, string reason, int offset)
    {
        var ex = Assert.Throws<WasmFormatException>(() =>
        {
            var reader = new WasmReader(bytes, 0x10, "test");
            reader.ReadVarUInt32();
        });
        Assert.Equal(reason, ex.Reason);
        Assert.Equal(0x10 + offset, ex.Offset);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 }, null)]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02 }, "integer too large")]
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00 }, "integer representation too long")]
    public void Unsigned_64_takes_at_most_ten_bytes_and_one_bit_in_the_last(byte[] bytes, string? reason)
    {
        if (reason is null)
        {
            var reader = new WasmReader(bytes, 0, "test");
            Assert.Equal(ulong.MaxValue, reader.ReadVarUInt64());
            return;
        }

        var ex = Assert.Throws<WasmFormatException>(() =>
        {
            var again = new WasmReader(bytes, 0, "test");
            again.ReadVarUInt64();
        });
        Assert.Equal(reason, ex.Reason);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x0F }, 0xFFFFFFFFL)] // 2^32 - 1 fits 33 signed bits
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x70 }, -(1L << 32))]
    public void Signed_33_reads_block_type_indices(byte[] bytes, long expected)
    {
        var reader = new WasmReader(bytes, 0, "test");
        Assert.Equal(expected, reader.ReadVarInt33());
    }

    [Fact]
    public void Signed_33_refuses_bits_beyond_its_width()
    {
        byte[] bytes = [0xFF, 0xFF, 0xFF, 0xFF, 0x1F];
        int position = 0;
        Assert.Equal(Leb128.Status.TooLarge, Leb128.ReadSigned(bytes, ref position, 33, out _));
        Assert.Equal(4, position);
    }

    [Fact]
    public void Minimal_writes_take_the_size_the_writer_computes_and_read_back()
    {
        Span<byte> buffer = stackalloc byte[16];
        for (int bit = 0; bit < 64; bit++)
        {
            foreach (ulong unsigned in new[] { (1UL << bit) - 1, 1UL << bit, (1UL << bit) + 1 })
            {
                int written = Leb128.WriteUnsigned(buffer, unsigned);
                Assert.Equal(WasmWriter.SizeOfVarUInt(unsigned), written);
                int position = 0;
                Assert.Equal(Leb128.Status.Ok, Leb128.ReadUnsigned(buffer, ref position, 64, out ulong back));
                Assert.Equal((unsigned, written), (back, position));
            }

            foreach (long signed in new[] { 1L << bit, (1L << bit) - 1, -(1L << bit), -(1L << bit) - 1 })
            {
                int written = Leb128.WriteSigned(buffer, signed);
                Assert.Equal(WasmWriter.SizeOfVarInt(signed), written);
                int position = 0;
                Assert.Equal(Leb128.Status.Ok, Leb128.ReadSigned(buffer, ref position, 64, out long back));
                Assert.Equal((signed, written), (back, position));
            }
        }
    }

    [Theory]
    [InlineData(-1L, 5, new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x7F })]
    [InlineData(1L, 3, new byte[] { 0x81, 0x80, 0x00 })]
    [InlineData(-65L, 1, new byte[] { 0xBF, 0x7F })] // a width below the minimum is ignored
    public void Padded_signed_repeats_the_sign(long value, int width, byte[] expected)
    {
        var writer = new WasmWriter();
        writer.WriteVarInt64(value, width);
        Assert.Equal(expected, writer.ToArray());
        var reader = new WasmReader(writer.WrittenSpan, 0, "test");
        Assert.Equal(value, reader.ReadVarInt64());
    }

    [Fact]
    public void A_writer_sized_to_its_output_hands_over_its_buffer_after_a_last_short_leb()
    {
        var writer = new WasmWriter(capacity: 17);
        writer.WriteBytes(new byte[15]);
        writer.WriteVarUInt32(300); // two bytes: exactly the room left
        Assert.Equal(17, writer.Length);
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(writer.WrittenMemory, out var written));
        Assert.Equal(17, written.Array!.Length); // not grown
        var buffer = writer.DetachWritten();
        Assert.Same(written.Array, buffer);
        Assert.Equal(new byte[] { 0xAC, 0x02 }, buffer[15..]);
    }
}
