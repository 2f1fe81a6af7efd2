using Dwarfsmith.Wasm.Instructions;
using Xunit;

namespace Dwarfsmith.Wasm.Tests.Instructions;

public class MalformedTests
{
    private static WasmFormatException Decode(byte[] code)
    {
        return Assert.Throws<WasmFormatException>(() =>
        {
            var reader = new InstructionReader(code, 0x1000);
            while (reader.TryRead(out _))
            {
            }
        });
    }

    [Theory]
    [InlineData(new byte[] { 0x41, 0x00, 0x40, 0x01 }, "zero byte expected", 0x1003)]
    [InlineData(new byte[] { 0x3F, 0x80, 0x00 }, "zero byte expected", 0x1001)]
    [InlineData(new byte[] { 0xFC, 0x08, 0x00, 0x01 }, "zero byte expected", 0x1003)]
    [InlineData(new byte[] { 0xFC, 0x0A, 0x00, 0x01 }, "zero byte expected", 0x1003)]
    [InlineData(new byte[] { 0xFC, 0x0B, 0x01 }, "zero byte expected", 0x1002)]
    [InlineData(new byte[] { 0x01, 0x14 }, "illegal opcode 0x14", 0x1001)]
    [InlineData(new byte[] { 0xFF }, "illegal opcode 0xff", 0x1000)]
    [InlineData(new byte[] { 0xFC, 0x12 }, "illegal opcode 0xfc 0x12", 0x1000)]
    [InlineData(new byte[] { 0xFD, 0x9A, 0x01 }, "illegal opcode 0xfd 0x9a", 0x1000)]
    [InlineData(new byte[] { 0x02, 0x7A }, "malformed block type 0x7A", 0x1001)]
    [InlineData(new byte[] { 0x41, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00 }, "integer representation too long", 0x1005)]
    [InlineData(new byte[] { 0x41, 0xFF, 0xFF, 0xFF, 0xFF, 0x4F }, "integer too large", 0x1005)]
    [InlineData(new byte[] { 0x1C, 0x01, 0x7A }, "malformed value type 0x7A", 0x1002)]
    [InlineData(new byte[] { 0xD0, 0x7F }, "malformed reference type 0x7F", 0x1001)]
    [InlineData(new byte[] { 0x0E, 0x05, 0x00 }, "unexpected end", 0x1001)]
    public void Rejects(byte[] code, string reason, long offset)
    {
        var ex = Decode(code);
        Assert.Equal(reason, ex.Reason);
        Assert.Equal(offset, ex.Offset);
        Assert.Equal("code section", ex.Section);
    }

    [Fact]
    public void Block_type_index_is_s33()
    {
        // 0x80 0x80 0x80 0x80 0x0F = 0xF0000000: a non-negative s33 is a type index.
        var reader = new InstructionReader(new byte[] { 0x02, 0x80, 0x80, 0x80, 0x80, 0x0F }, 0);
        Assert.True(reader.TryRead(out var block));
        Assert.Equal(BlockType.OfTypeIndex(0xF0000000), block.BlockType);
        // 0x80 0x80 0x80 0x80 0x10 has the s33 sign bit set but not the unused bits above it.
        Assert.Equal("integer too large", Decode([0x02, 0x80, 0x80, 0x80, 0x80, 0x10]).Reason);
    }

    [Fact]
    public void Memarg_with_memory_index_bit()
    {
        var reader = new InstructionReader(new byte[] { 0x28, 0x42, 0x03, 0x10 }, 0);
        Assert.True(reader.TryRead(out var load));
        Assert.Equal(new MemArg(2, 16, 3), load.MemArg);
        Assert.True(load.HasExplicitMemoryIndex);
    }
}
