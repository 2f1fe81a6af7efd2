using Dwarfsmith.TestSupport;
using Dwarfsmith.Tools.PostLink;
using Dwarfsmith.Wasm;
using Xunit;

namespace Dwarfsmith.PostLink.Tests;

/// <summary>
/// Padding outside the code: section sizes and the function section's LEBs written 5 bytes wide
/// (what a linker that patches in place could leave). compact must give back the minimal encoding
/// clang and wasm-ld wrote, and the same code and DWARF as for the unpadded module.
/// </summary>
public class PaddedSectionsTests
{
    [Fact]
    public void Padded_section_sizes_and_function_indices_come_back_minimal()
    {
        var path = Corpus.Get("loops").BuildWasm(OptLevel.O2, 5).Path;
        var original = WasmModule.ReadFile(path);
        var padded = WasmModule.Read(Pad(original));
        Assert.True(padded.Bytes.Length > original.Bytes.Length);

        var fromOriginal = WasmModule.Read(ModuleCompactor.Compact(original));
        var fromPadded = WasmModule.Read(ModuleCompactor.Compact(padded));
        Assert.Equal(fromOriginal.Sections.Select(s => (s.Id, s.Name)), fromPadded.Sections.Select(s => (s.Id, s.Name)));
        for (int i = 0; i < fromOriginal.Sections.Count; i++)
            Assert.True(fromOriginal.Sections[i].RawBytes.Span.SequenceEqual(fromPadded.Sections[i].RawBytes.Span), fromOriginal.Sections[i].DisplayName);

        var function = original.FindSection(SectionId.Function)!;
        Assert.Equal(function.RawBytes.ToArray(), fromPadded.FindSection(SectionId.Function)!.RawBytes.ToArray());
    }

    /// <summary>Every section's size LEB 5 bytes wide; the function section's count and type indices too.</summary>
    private static byte[] Pad(WasmModule module)
    {
        var writer = new WasmWriter(module.Bytes.Length * 2);
        writer.WriteBytes(module.Bytes.Span[..8]);
        foreach (var section in module.Sections)
        {
            byte[] payload = section.Payload.ToArray();
            if (section.Id == SectionId.Function)
            {
                var function = new WasmWriter();
                function.WriteVarUInt32((uint)module.FunctionTypeIndices.Count, 5);
                foreach (uint type in module.FunctionTypeIndices)
                    function.WriteVarUInt32(type, 5);
                payload = function.ToArray();
            }
            writer.WriteByte((byte)section.Id);
            writer.WriteVarUInt32((uint)payload.Length, 5);
            writer.WriteBytes(payload);
        }
        return writer.ToArray();
    }
}
