using Dwarfsmith.TestSupport;
using Dwarfsmith.Wasm.CustomSections;
using Dwarfsmith.Wasm.Writing;
using Xunit;

namespace Dwarfsmith.Wasm.Tests.Modules;

public class ModuleRoundTripTests
{
    public static TheoryData<string, OptLevel, int> Variants => Corpus.ProgramVariants;

    [Theory]
    [MemberData(nameof(Variants))]
    public void Unchanged_module_writes_back_byte_for_byte(string program, OptLevel opt, int dwarf)
    {
        var bytes = File.ReadAllBytes(Corpus.Get(program).BuildWasm(opt, dwarf).Path);
        var module = WasmModule.Read(bytes);
        Assert.Equal(bytes, new ModuleBuilder(module).ToArray());
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Reencoded_standard_sections_validate_and_read_back_the_same(string program, OptLevel opt, int dwarf)
    {
        var path = Corpus.Get(program).BuildWasm(opt, dwarf).Path;
        var module = WasmModule.ReadFile(path);
        var reencoded = SectionEncoder.ReencodeStandardSections(module).ToArray();
        // wasm-ld pads LEBs at relocations only inside code and the section sizes, which the
        // encoder writes minimally: so the output may be smaller, never larger.
        Assert.True(reencoded.Length <= module.Bytes.Length);

        var again = WasmModule.Read(reencoded);
        ModuleAssert.SameModel(module, again);
        var output = WriteTemp(reencoded, $"{program}-{opt}-{dwarf}-reencoded.wasm");
        ProcessRunner.Run(Toolchain.Require("wasm-validate"), [output]).EnsureSuccess();
    }

    [Fact]
    public void Sqlite_writes_back_byte_for_byte_and_reencodes()
    {
        var bytes = File.ReadAllBytes(Corpus.Sqlite().Path);
        var module = WasmModule.Read(bytes);
        Assert.Equal(bytes, new ModuleBuilder(module).ToArray());
        ModuleAssert.SameModel(module, WasmModule.Read(SectionEncoder.ReencodeStandardSections(module).ToArray()));
    }

    [Fact]
    public void Sections_can_be_removed_added_and_replaced_and_the_program_still_runs()
    {
        var path = Corpus.Get("structs").BuildWasm().Path;
        var module = WasmModule.ReadFile(path);
        var builder = new ModuleBuilder(module);
        var removed = builder.RemoveAll(s => s.IsCustom && s.Name!.StartsWith(".debug_", StringComparison.Ordinal));
        Assert.True(removed > 0);
        builder.SetCustom("build_id", SingleValueSections.EncodeBytes([1, 2, 3, 4]));
        builder.SetCustom("producers", module.Producers!.Encode());
        builder.SetStandard(SectionId.Export, SectionEncoder.Exports(module.Exports));
        var output = WriteTemp(builder.ToArray(), "structs-edited.wasm");
        using (var streamed = new MemoryStream())
        {
            builder.WriteTo(streamed); // section by section: the same bytes as encoding it whole
            Assert.Equal(File.ReadAllBytes(output), streamed.ToArray());
            Assert.Equal(streamed.Length, builder.EncodedSize);
        }

        var edited = WasmModule.ReadFile(output);
        Assert.Empty(edited.DebugSections);
        Assert.Equal([1, 2, 3, 4], edited.BuildId);
        Assert.Equal(module.Exports, edited.Exports);
        ProcessRunner.Run(Toolchain.Require("wasm-validate"), [output]).EnsureSuccess();
        var expected = Corpus.Get("structs").RunWasm(path);
        var actual = Corpus.Get("structs").RunWasm(output);
        Assert.Equal(expected.StandardOutput, actual.StandardOutput);
        Assert.Equal(expected.ExitCode, actual.ExitCode);
    }

    [Fact]
    public void Standard_section_is_inserted_at_its_place_in_the_order()
    {
        var module = WasmModule.ReadFile(Corpus.Get("loops").BuildWasm().Path);
        var builder = new ModuleBuilder(module);
        builder.RemoveAll(s => s.Id == SectionId.Start);
        builder.SetStandard(SectionId.DataCount, SectionEncoder.DataCount((uint)module.Data.Count));
        var edited = WasmModule.Read(builder.ToArray());
        Assert.Equal((uint)module.Data.Count, edited.DataCount);
        var ids = edited.Sections.Where(s => !s.IsCustom).Select(s => SectionIds.OrderOf(s.Id)).ToArray();
        Assert.Equal(ids.Order().ToArray(), ids);
    }

    internal static string WriteTemp(byte[] bytes, string name)
    {
        var directory = Directory.CreateDirectory(Path.Combine(RepoPaths.Cache, "tmp", "wasm-tests")).FullName;
        var path = Path.Combine(directory, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
