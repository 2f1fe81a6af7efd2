using Dwarfsmith.Wasm.Validation;
using Xunit;

namespace Dwarfsmith.Wasm.Tests.Validation;

public class ConstantExpressionValidatorTests
{
    private static readonly ValidationContext Context = new()
    {
        Features = WasmFeatures.Wasm2,
        Types = [new FunctionType([], [])],
        FunctionTypeIndices = [0],
        Globals = [new GlobalType(ValueType.I32, false), new GlobalType(ValueType.I32, true), new GlobalType(ValueType.I32, false)],
        ImportedGlobalCount = 2,
    };

    private static void Validate(byte[] bytes, ValueType expected, ValidationContext? context = null) =>
        ConstantExpressionValidator.Validate(context ?? Context, bytes, 0x40, expected, "global section", (context ?? Context).ImportedGlobalCount);

    [Theory]
    [InlineData(new byte[] { 0x41, 0x05, 0x0B }, ValueType.I32)]
    [InlineData(new byte[] { 0x42, 0x7F, 0x0B }, ValueType.I64)]
    [InlineData(new byte[] { 0x23, 0x00, 0x0B }, ValueType.I32)]
    [InlineData(new byte[] { 0xD2, 0x00, 0x0B }, ValueType.FuncRef)]
    [InlineData(new byte[] { 0xD0, 0x6F, 0x0B }, ValueType.ExternRef)]
    public void Accepts(byte[] bytes, ValueType expected) => Validate(bytes, expected);

    [Theory]
    [InlineData(new byte[] { 0x41, 0x05, 0x0B }, ValueType.I64, "type mismatch")]
    [InlineData(new byte[] { 0x41, 0x05, 0x41, 0x05, 0x0B }, ValueType.I32, "type mismatch")]
    [InlineData(new byte[] { 0x0B }, ValueType.I32, "type mismatch")]
    [InlineData(new byte[] { 0x41, 0x01, 0x41, 0x01, 0x6A, 0x0B }, ValueType.I32, "constant expression required")]
    [InlineData(new byte[] { 0x23, 0x01, 0x0B }, ValueType.I32, "constant expression required")]
    [InlineData(new byte[] { 0x23, 0x02, 0x0B }, ValueType.I32, "unknown global 2")]
    [InlineData(new byte[] { 0xD2, 0x01, 0x0B }, ValueType.FuncRef, "unknown function 1")]
    [InlineData(new byte[] { 0x01, 0x0B }, ValueType.I32, "constant expression required")]
    public void Rejects(byte[] bytes, ValueType expected, string reason)
    {
        var e = Assert.Throws<WasmFormatException>(() => Validate(bytes, expected));
        Assert.StartsWith(reason, e.Reason);
        Assert.Equal("global section", e.Section);
    }

    [Fact]
    public void Extended_const_allows_arithmetic()
    {
        var context = new ValidationContext { Features = WasmFeatures.ExtendedConst, Globals = Context.Globals, ImportedGlobalCount = 2 };
        Validate([0x41, 0x01, 0x23, 0x00, 0x6A, 0x0B], ValueType.I32, context);
    }
}
