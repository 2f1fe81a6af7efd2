using Xunit;

namespace Dwarfsmith.Wasm.Tests.Modules;

/// <summary>Compares the decoded content of two modules, ignoring encodings and offsets.</summary>
internal static class ModuleAssert
{
    public static void SameModel(WasmModule expected, WasmModule actual)
    {
        Assert.Equal(expected.Sections.Select(s => (s.Id, s.Name)), actual.Sections.Select(s => (s.Id, s.Name)));
        Assert.Equal(expected.Types, actual.Types);
        Assert.Equal(expected.Imports, actual.Imports);
        Assert.Equal(expected.FunctionTypeIndices, actual.FunctionTypeIndices);
        Assert.Equal(expected.Tables, actual.Tables);
        Assert.Equal(expected.Memories, actual.Memories);
        Assert.Equal(expected.Globals.Select(g => (g.Type, Hex(g.Init.Bytes))), actual.Globals.Select(g => (g.Type, Hex(g.Init.Bytes))));
        Assert.Equal(expected.Exports, actual.Exports);
        Assert.Equal(expected.StartFunction, actual.StartFunction);
        Assert.Equal(expected.DataCount, actual.DataCount);
        Assert.Equal(expected.Elements.Select(Describe), actual.Elements.Select(Describe));
        Assert.Equal(expected.Data.Select(d => (d.Flags, d.MemoryIndex, Hex(d.Offset?.Bytes), Hex(d.Data))),
            actual.Data.Select(d => (d.Flags, d.MemoryIndex, Hex(d.Offset?.Bytes), Hex(d.Data))));
        Assert.Equal(expected.Bodies.Count, actual.Bodies.Count);
        for (var i = 0; i < expected.Bodies.Count; i++)
            Assert.True(expected.Bodies[i].Bytes.Span.SequenceEqual(actual.Bodies[i].Bytes.Span), $"body {i} differs");
        foreach (var section in expected.CustomSections)
            Assert.True(section.Content.Span.SequenceEqual(actual.FindCustomSection(section.Name!)!.Content.Span), $"custom section {section.Name} differs");
    }

    private static string Describe(ElementSegment s) =>
        $"{s.Flags} {s.Mode} {s.TableIndex} {Hex(s.Offset?.Bytes)} {s.ElementType} " +
        (s.FunctionIndices is { } f ? string.Join(',', f) : string.Join(',', s.Expressions!.Select(e => Hex(e.Bytes))));

    private static string Hex(ReadOnlyMemory<byte>? bytes) => bytes is { } b ? Convert.ToHexString(b.Span) : "-";
}
