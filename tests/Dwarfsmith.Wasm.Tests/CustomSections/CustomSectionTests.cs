using System.Globalization;
using System.Text.RegularExpressions;
using Dwarfsmith.TestSupport;
using Dwarfsmith.Wasm.CustomSections;
using Xunit;

namespace Dwarfsmith.Wasm.Tests.CustomSections;

public partial class CustomSectionTests
{
    public static TheoryData<string, OptLevel, int> Variants => Corpus.ProgramVariants;

    [Theory]
    [MemberData(nameof(Variants))]
    public void Typed_custom_sections_encode_back_to_their_bytes(string program, OptLevel opt, int dwarf)
    {
        var module = WasmModule.ReadFile(Corpus.Get(program).BuildWasm(opt, dwarf).Path);
        AssertEncodesBack(module, NameSection.SectionName, module.Names!.Encode());
        AssertEncodesBack(module, ProducersSection.SectionName, module.Producers!.Encode());
        AssertEncodesBack(module, TargetFeaturesSection.SectionName, module.TargetFeatures!.Encode());
        Assert.Contains(module.Names!.FunctionNames.Values, name => name == "main" || name == "__original_main");
        Assert.Contains(module.Producers!.Fields, f => f.Field == "processed-by" && f.Values.Any(v => v.Name.Contains("clang", StringComparison.Ordinal)));
    }

    [Fact]
    public void Names_agree_with_wasm_objdump()
    {
        var path = Corpus.Get("statics").BuildWasm(OptLevel.O0).Path;
        var module = WasmModule.ReadFile(path);
        var details = ProcessRunner.Run(Toolchain.WasmObjdump, ["-x", "-j", "Code", path]).EnsureSuccess().StandardOutput;
        foreach (Match match in CodeEntry().Matches(details))
        {
            var index = uint.Parse(match.Groups["index"].Value, CultureInfo.InvariantCulture);
            Assert.Equal(match.Groups["name"].Value, module.FunctionName(index));
        }
        Assert.Equal("__stack_pointer", module.Names!.GlobalNames[0]);
        Assert.NotEmpty(module.Names.DataSegmentNames);
    }

    [Fact]
    public void Single_value_sections_round_trip()
    {
        var module = WasmModule.ReadFile(Corpus.Get("loops").BuildWasm().Path);
        var builder = new Writing.ModuleBuilder(module);
        builder.SetCustom(SingleValueSections.BuildId, SingleValueSections.EncodeBytes(Convert.FromHexString("00112233445566778899AABBCCDDEEFF")));
        builder.SetCustom(SingleValueSections.ExternalDebugInfo, SingleValueSections.EncodeString("loops.debug.wasm"));
        builder.SetCustom(SingleValueSections.SourceMappingUrl, SingleValueSections.EncodeString("https://example.invalid/loops.wasm.map"));
        var edited = WasmModule.Read(builder.ToArray());
        Assert.Equal("00112233445566778899AABBCCDDEEFF", Convert.ToHexString(edited.BuildId!));
        Assert.Equal("loops.debug.wasm", edited.ExternalDebugInfo);
        Assert.Equal("https://example.invalid/loops.wasm.map", edited.SourceMappingUrl);
    }

    [Theory]
    [InlineData("pointers", OptLevel.O0)]
    [InlineData("structs", OptLevel.O2)]
    [InlineData("varargs", OptLevel.O2)]
    public void Object_file_relocations_and_symbols_agree_with_llvm_readobj(string program, OptLevel opt)
    {
        var path = Corpus.Get(program).Build(CompileOptions.Wasm(opt) with { ObjectOnly = true }).Path;
        var module = WasmModule.ReadFile(path);
        Assert.True(module.IsObjectFile);
        var linking = module.Linking!;
        Assert.Equal(2u, linking.Version);

        var output = ProcessRunner.Run(Toolchain.LlvmReadobj, ["-r", path]).EnsureSuccess().StandardOutput;
        var expected = new Dictionary<string, List<(uint Offset, string Type, string Symbol, int? Addend)>>();
        List<(uint, string, string, int?)>? current = null;
        foreach (var line in output.Split('\n'))
        {
            if (RelocHeader().Match(line) is { Success: true } header)
                expected[header.Groups["name"].Value] = current = [];
            else if (RelocLine().Match(line) is { Success: true } entry)
                current!.Add((uint.Parse(entry.Groups["offset"].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture), entry.Groups["type"].Value,
                    entry.Groups["symbol"].Value, entry.Groups["addend"].Success ? int.Parse(entry.Groups["addend"].Value, CultureInfo.InvariantCulture) : null));
        }
        var relocations = module.Relocations.ToList();
        Assert.Equal(expected.Count, relocations.Count);
        foreach (var section in relocations)
        {
            var target = module.Sections[(int)section.TargetSectionIndex];
            var name = target.IsCustom ? target.Name! : target.Id.ToString().ToUpperInvariant();
            var entries = expected[name];
            Assert.Equal(entries.Count, section.Relocations.Length);
            for (var i = 0; i < entries.Count; i++)
            {
                var (offset, type, symbol, addend) = entries[i];
                var actual = section.Relocations[i];
                Assert.Equal(offset, actual.Offset);
                Assert.Equal(type, "R_WASM_" + UpperSnake(actual.Type.ToString()));
                if (addend is { } value)
                    Assert.Equal(value, actual.Addend);
                if (actual.Type is not (RelocationType.TypeIndexLeb) && linking.Symbols[(int)actual.Index].Name is { } symbolName)
                    Assert.Equal(symbol, symbolName);
            }
        }
    }

    private static string UpperSnake(string pascal) => PascalBoundary().Replace(pascal, "_$1").ToUpperInvariant();

    private static void AssertEncodesBack(WasmModule module, string name, byte[] encoded) =>
        Assert.True(module.FindCustomSection(name)!.Content.Span.SequenceEqual(encoded), $"{name} does not encode back to its bytes");

    [GeneratedRegex(@"(?<!^)([A-Z])")]
    private static partial Regex PascalBoundary();

    [GeneratedRegex(@"^\s*Section \(\d+\) (?<name>\S+) \{$")]
    private static partial Regex RelocHeader();

    [GeneratedRegex(@"^\s*0x(?<offset>[0-9A-F]+) (?<type>R_WASM_\w+) (?<symbol>\S+)(?: (?<addend>-?\d+))?\s*$")]
    private static partial Regex RelocLine();

    [GeneratedRegex(@"^ - func\[(?<index>\d+)\] size=\d+ <(?<name>[^>]+)>$", RegexOptions.Multiline)]
    private static partial Regex CodeEntry();
}
