using System.Globalization;
using System.Text.RegularExpressions;
using Dwarfsmith.TestSupport;
using Xunit;

namespace Dwarfsmith.Wasm.Tests.Modules;

/// <summary>The reader's section table, imports, exports and function offsets agree with wabt's wasm-objdump.</summary>
public partial class ObjdumpAgreementTests
{
    public static TheoryData<string, OptLevel, int> Variants => Corpus.ProgramVariants;

    [Theory]
    [MemberData(nameof(Variants))]
    public void Sections_and_functions_agree_with_wasm_objdump(string program, OptLevel opt, int dwarf)
    {
        var path = Corpus.Get(program).BuildWasm(opt, dwarf).Path;
        AssertAgrees(path);
    }

    [Fact]
    public void Object_file_sections_agree_with_wasm_objdump()
    {
        var path = Corpus.Get("pointers").Build(CompileOptions.Wasm(OptLevel.O2) with { ObjectOnly = true }).Path;
        AssertAgrees(path);
    }

    private static void AssertAgrees(string path)
    {
        var module = WasmModule.ReadFile(path);
        var objdump = Toolchain.Require("wasm-objdump");

        var headers = ProcessRunner.Run(objdump, ["-h", path]).EnsureSuccess().StandardOutput;
        var expectedSections = SectionLine().Matches(headers).Select(m => (
            Kind: m.Groups["kind"].Value,
            Start: Hex(m.Groups["start"].Value),
            End: Hex(m.Groups["end"].Value),
            Detail: m.Groups["detail"].Value.Trim())).ToList();
        var actualSections = module.Sections.Select(s => (
            Kind: ObjdumpKind(s.Id),
            Start: s.IsCustom ? s.PayloadOffset : s.PayloadOffset,
            End: s.Offset + s.RawBytes.Length,
            Detail: Detail(module, s))).ToList();
        Assert.Equal(expectedSections.Count, actualSections.Count);
        for (var i = 0; i < expectedSections.Count; i++)
        {
            var (kind, start, end, detail) = expectedSections[i];
            Assert.Equal(kind, actualSections[i].Kind);
            Assert.Equal(start, actualSections[i].Start);
            Assert.Equal(end, actualSections[i].End);
            if (detail.StartsWith("count:", StringComparison.Ordinal) || detail.StartsWith('"'))
                Assert.Equal(detail, actualSections[i].Detail);
        }

        var details = ProcessRunner.Run(objdump, ["-x", path]).EnsureSuccess().StandardOutput;
        var expectedImports = ImportLine().Matches(details).Select(m => $"{m.Groups["module"].Value}.{m.Groups["field"].Value}");
        Assert.Equal(expectedImports, module.Imports.Select(i => $"{i.Module}.{i.Name}"));
        var expectedExports = ExportLine().Matches(details).Select(m => (m.Groups["name"].Value, uint.Parse(m.Groups["index"].Value, CultureInfo.InvariantCulture)));
        Assert.Equal(expectedExports, module.Exports.Select(e => (e.Name, e.Index)));
        var expectedSizes = CodeLine().Matches(details).Select(m => (uint.Parse(m.Groups["index"].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups["size"].Value, CultureInfo.InvariantCulture)));
        Assert.Equal(expectedSizes, module.Bodies.Select(b => (b.FunctionIndex, b.Size)));

        var disassembly = ProcessRunner.Run(objdump, ["-d", path]).EnsureSuccess().StandardOutput;
        var expectedOffsets = FunctionHeader().Matches(disassembly).Select(m => (uint.Parse(m.Groups["index"].Value, CultureInfo.InvariantCulture), Hex(m.Groups["offset"].Value)));
        Assert.Equal(expectedOffsets, module.Bodies.Select(b => (b.FunctionIndex, b.Offset)));
        Assert.All(module.Bodies, b => Assert.Equal(b.Offset - module.CodeSectionPayloadOffset, b.CodeOffset));
    }

    private static string Detail(WasmModule module, Section section) => section.Id switch
    {
        SectionId.Custom => $"\"{section.Name}\"",
        SectionId.Start => $"start: {module.StartFunction}",
        SectionId.DataCount => $"count: {module.DataCount}",
        _ => $"count: {module.ItemCount(section.Id)}",
    };

    private static string ObjdumpKind(SectionId id) => id switch
    {
        SectionId.Element => "Elem",
        _ => id.ToString(),
    };

    private static long Hex(string text) => long.Parse(text, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^\s*(?<kind>\w+) start=0x(?<start>[0-9a-f]+) end=0x(?<end>[0-9a-f]+) \(size=0x[0-9a-f]+\)(?<detail>.*)$", RegexOptions.Multiline)]
    private static partial Regex SectionLine();

    [GeneratedRegex(@"^ - \w+\[\d+\].* <- (?<module>[^.\s]+)\.(?<field>\S+)$", RegexOptions.Multiline)]
    private static partial Regex ImportLine();

    [GeneratedRegex(@"^ - \w+\[(?<index>\d+)\](?: <[^>]*>)? -> ""(?<name>[^""]*)""$", RegexOptions.Multiline)]
    private static partial Regex ExportLine();

    [GeneratedRegex(@"^ - func\[(?<index>\d+)\] size=(?<size>\d+)", RegexOptions.Multiline)]
    private static partial Regex CodeLine();

    [GeneratedRegex(@"^(?<offset>[0-9a-f]+) func\[(?<index>\d+)\](?: <[^>]*>)?:$", RegexOptions.Multiline)]
    private static partial Regex FunctionHeader();
}
