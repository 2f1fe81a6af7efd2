using Dwarfsmith.TestSupport;
using Dwarfsmith.Wasm;
using Dwarfsmith.Wasm.Writing;
using Xunit;

namespace Dwarfsmith.Dwarf.Writing.Tests;

/// <summary>Emitted sections replace a real compiled module's DWARF; the module stays readable by the tools.</summary>
public class RealModuleTests
{
    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public void Emitted_sections_replace_the_debug_sections_of_a_compiled_module(int version)
    {
        var wasm = Corpus.Get("structs").BuildWasm(OptLevel.O0, version);
        var module = WasmModule.ReadFile(wasm.Path);
        var builder = new ModuleBuilder(module);
        builder.RemoveAll(s => s.IsCustom && s.Name!.StartsWith(".debug_", StringComparison.Ordinal));
        var output = Models.EveryKind((ushort)version, DwarfFormat.Dwarf32, version >= 5, version >= 5, version >= 5);
        foreach (var (name, bytes) in output.Emit())
            builder.Add(SectionEntry.Custom(name, bytes));
        string path = Path.Combine(RepoPaths.NewScratchDirectory("dwarf-writing-real"), "structs.wasm");
        File.WriteAllBytes(path, builder.ToArray());

        var reread = WasmModule.ReadFile(path);
        Assert.Equal(module.FunctionTypeIndices.Count, reread.FunctionTypeIndices.Count);
        Assert.Equal(output.Emit().Keys.Order(), reread.DebugSections.Select(s => s.Name!).Order());
        ModelChecker.Check(output, path);
    }
}
