using System.Text.RegularExpressions;
using Dwarfsmith.Dwarf.Reading;
using Dwarfsmith.TestSupport;
using Dwarfsmith.Tools;
using Dwarfsmith.Wasm;
using Dwarfsmith.Wasm.Writing;
using Xunit;

namespace Dwarfsmith.Dwarf.Transform.Tests;

/// <summary>
/// Macro information (clang's -fdebug-macro: .debug_macinfo for DWARF 4, .debug_macro for 5)
/// survives the pass: the identity keeps llvm-dwarfdump's dump of it (up to its line-table
/// offsets, which must name the unit's new line table), and version conversion keeps its meaning.
/// </summary>
public class MacroTests
{
    /// <summary>Corpus programs (one compile unit with macros), a two-unit program, and GNU .debug_macro (version 4).</summary>
    public static TheoryData<string, OptLevel, int> Variants => new()
    {
        { "arrays", OptLevel.O0, 4 },
        { "arrays", OptLevel.O0, 5 },
        { "strings", OptLevel.O2, 4 },
        { "strings", OptLevel.O2, 5 },
        { TwoUnits, OptLevel.O0, 4 },
        { TwoUnits, OptLevel.O2, 5 },
        { GnuMacro, OptLevel.O0, 4 },
    };

    private const string TwoUnits = "two-units", GnuMacro = "arrays-gnu-macro";

    internal static string BuildWithMacros(string program, OptLevel opt, int version)
    {
        var options = CompileOptions.Wasm(opt, version) with { Flags = ["-fdebug-macro"] };
        return program switch
        {
            TwoUnits => CCompiler.Compile(TwoUnitSources(), options).Path,
            GnuMacro => Corpus.Get("arrays").Build(options with { Flags = ["-fdebug-macro", "-mllvm", "-use-gnu-debug-macro"] }).Path,
            _ => Corpus.Get(program).Build(options).Path,
        };
    }

    /// <summary>Two sources, so two compile units with macros: the second's sit at a later offset of the section.</summary>
    private static string[] TwoUnitSources()
    {
        string directory = Path.GetDirectoryName(Rewriting.ScratchPath("x"))!;
        string main = Path.Combine(directory, "macros_main.c"), helper = Path.Combine(directory, "macros_helper.c");
        File.WriteAllText(main, "#include <stdio.h>\n#define GREETING \"hello\"\nint helper(int);\nint main(void) { printf(\"%s %d\\n\", GREETING, helper(2)); return 0; }\n");
        File.WriteAllText(helper, "#include <string.h>\n#define TWICE(x) ((x) * 2)\n#undef TWICE\n#define TWICE(x) ((x) + (x))\nint helper(int x) { return TWICE(x) + (int)strlen(\"ab\"); }\n");
        return [main, helper];
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void The_identity_keeps_every_macro_entry(string program, OptLevel opt, int version)
    {
        var input = BuildWithMacros(program, opt, version);
        var output = Rewriting.Rewrite(input, DwarfVisitor.Identity, $"macros-{program}-{opt}-v{version}");
        var expected = MacroDump.Normalized(input);
        Assert.Contains(version >= 5 ? "DW_MACRO_define_strx" : program == GnuMacro ? "DW_MACRO_GNU_define_indirect" : "DW_MACINFO_define", expected, StringComparison.Ordinal);
        Rewriting.AssertSameText(expected, MacroDump.Normalized(output), $"macro dumps of {input} and {output}");
        Assert.Equal(MacroDump.Meaning(input), MacroDump.Meaning(output));
        Rewriting.AssertNoNewVerifyErrors(input, output);
        Rewriting.AssertSameDwarf(input, output);
        if (version >= 5 || program == GnuMacro)
            AssertLineOffsetsNameTheUnitsLineTables(output);
        // Macro strings join the string offsets after the attributes': they must not widen the attributes' strx forms.
        Assert.True(FormCount(output, "DW_FORM_strx2") <= FormCount(input, "DW_FORM_strx2"), "macro strings widened strx forms");
        if (program == TwoUnits)
            Assert.Equal(2, MacroDump.EntriesByUnit(output).Count);
    }

    private static int FormCount(string path, string form) =>
        Regex.Count(Rewriting.Dump(path, "--debug-info", "-v"), $@"\[{form}\]");

    [Theory]
    [MemberData(nameof(Variants))]
    public void Conversion_to_the_other_version_keeps_what_the_macros_say(string program, OptLevel opt, int version)
    {
        int target = version == 4 ? 5 : 4;
        var input = BuildWithMacros(program, opt, version);
        var output = Rewriting.Rewrite(input, new VersionConversionVisitor((ushort)target), $"macros-{program}-{opt}-v{version}-to-v{target}");
        var meaning = MacroDump.Meaning(input);
        Assert.Contains(meaning, line => line.Contains(" start_file ", StringComparison.Ordinal) && line.EndsWith(".h", StringComparison.Ordinal));
        Assert.Equal(meaning, MacroDump.Meaning(output));
        var dump = MacroDump.Normalized(output);
        Assert.Contains(target >= 5 ? "DW_MACRO_define_strx" : "DW_MACINFO_define", dump, StringComparison.Ordinal);
        Rewriting.AssertNoNewVerifyErrors(input, output);
        if (target >= 5)
            AssertLineOffsetsNameTheUnitsLineTables(output);
    }

    [Fact]
    public void Macro_information_that_imports_other_units_is_left_out_with_a_warning()
    {
        var input = BuildWithMacros("arrays", OptLevel.O0, 5);
        var module = WasmModule.ReadFile(input);
        // One unit in place of clang's: a header naming line table 0, then DW_MACRO_import of offset 0.
        byte[] importing = [0x05, 0x00, 0x02, 0, 0, 0, 0, (byte)DwMacro.DW_MACRO_import, 0, 0, 0, 0, 0];
        var builder = new ModuleBuilder(module);
        builder.SetCustom(".debug_macro", importing);
        var patched = WasmModule.Read(builder.ToArray());
        var result = WasmDwarfRewriter.Rewrite(patched, DwarfVisitor.Identity);
        Assert.Contains(result.Dwarf.Warnings, w => w.Contains("imports other macro units", StringComparison.Ordinal));
        Assert.Contains(".debug_macro", result.Dwarf.RemovedSections);
        Assert.False(result.Dwarf.Sections.ContainsKey(".debug_macro"));
        var output = Rewriting.ScratchPath("macros-import.wasm");
        File.WriteAllBytes(output, result.Module);
        Assert.DoesNotContain("DW_AT_macros", Rewriting.Dump(output, "--debug-info"), StringComparison.Ordinal);
        Assert.Empty(Rewriting.VerifyErrors(output));
    }

    [Fact]
    public void A_unit_pointing_into_a_removed_macro_section_loses_the_attribute_with_a_warning()
    {
        var module = WasmModule.ReadFile(BuildWithMacros("arrays", OptLevel.O0, 4));
        var builder = new ModuleBuilder(module);
        builder.RemoveCustom(".debug_macinfo");
        var result = WasmDwarfRewriter.Rewrite(WasmModule.Read(builder.ToArray()), DwarfVisitor.Identity);
        Assert.Contains(result.Dwarf.Warnings, w => w.Contains("which the input does not have", StringComparison.Ordinal));
        var output = Rewriting.ScratchPath("macros-removed.wasm");
        File.WriteAllBytes(output, result.Module);
        Assert.DoesNotContain("DW_AT_macro_info", Rewriting.Dump(output, "--debug-info"), StringComparison.Ordinal);
        Assert.Empty(Rewriting.VerifyErrors(output));
    }

    [Theory]
    [InlineData(".debug_macro", new byte[] { 0x05, 0x00, 0x00, (byte)DwMacro.DW_MACRO_define_strx, 0x01 }, 5L, "unexpected end of data")] // the string index is missing
    [InlineData(".debug_macro", new byte[] { 0x06, 0x00, 0x00, 0x00 }, 0L, "unsupported .debug_macro version 6")]
    [InlineData(".debug_macro", new byte[] { 0x05, 0x00, 0x00, 0x42, 0x00 }, 3L, "unknown macro entry type 0x42")]
    [InlineData(".debug_macinfo", new byte[] { 0x01, 0x05, (byte)'A' }, 2L, "unterminated string")]
    public void Malformed_macro_information_names_its_section_and_offset(string section, byte[] bytes, long offset, string reason)
    {
        int version = section == ".debug_macro" ? 5 : 4;
        var module = WasmModule.ReadFile(BuildWithMacros("arrays", OptLevel.O0, version));
        var builder = new ModuleBuilder(module);
        builder.SetCustom(section, bytes);
        var patched = WasmModule.Read(builder.ToArray());
        var error = Assert.Throws<DwarfFormatException>(() => WasmDwarfRewriter.Rewrite(patched, DwarfVisitor.Identity));
        Assert.Equal(section, error.Section);
        Assert.Equal(offset, error.Offset);
        Assert.StartsWith(reason, error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(4, ".debug_macinfo")]
    [InlineData(5, ".debug_macro")]
    public async Task Damaged_macro_sections_raise_only_DwarfFormatException(int version, string section)
    {
        var module = WasmModule.ReadFile(BuildWithMacros("arrays", OptLevel.O0, version));
        var original = module.FindCustomSection(section)!.Content.ToArray();
        int rewritten = 0, malformed = 0;
        var work = Task.Run(() =>
        {
            for (int seed = 0; seed < 150; seed++)
            {
                var (bytes, kind, description) = ByteMutator.Mutate(original, seed);
                var builder = new ModuleBuilder(module);
                builder.SetCustom(section, bytes);
                var damaged = WasmModule.Read(builder.ToArray());
                try
                {
                    WasmDwarfRewriter.Rewrite(damaged, DwarfVisitor.Identity);
                    rewritten++;
                }
                catch (DwarfFormatException e)
                {
                    malformed++;
                    Assert.Contains(e.Section, new[] { section, DwarfSections.Str, DwarfSections.StrOffsets });
                    Assert.True(e.Offset >= 0, $"seed {seed}: negative offset in '{e.Message}'");
                }
                catch (Exception e) when (e is not Xunit.Sdk.XunitException)
                {
                    Assert.Fail($"seed {seed} ({kind}: {description}): {e}");
                }
            }
        });
        Assert.True(await Task.WhenAny(work, Task.Delay(TimeSpan.FromMinutes(5))) == work, "hang?");
        await work;
        Assert.True(malformed > 10 && rewritten > 10, $"{malformed} malformed, {rewritten} rewritten: the mutations should give both");
    }

    /// <summary>Every .debug_macro header names the line table of the unit that points at it.</summary>
    private static void AssertLineOffsetsNameTheUnitsLineTables(string path)
    {
        var info = Rewriting.Dump(path, "--debug-info");
        var macros = Rewriting.Dump(path, "--debug-macro");
        int checkedUnits = 0;
        foreach (Match unit in Regex.Matches(info, @"DW_AT_stmt_list\s+\(0x([0-9a-f]+)\)(?:(?!DW_TAG).)*?DW_AT_(?:GNU_)?macros\s+\(0x([0-9a-f]+)\)", RegexOptions.Singleline))
        {
            var header = Regex.Match(macros, $@"^0x{unit.Groups[2].Value}:\nmacro header: .*debug_line_offset = 0x([0-9a-f]+)", RegexOptions.Multiline);
            Assert.True(header.Success, $"no macro unit at 0x{unit.Groups[2].Value}");
            Assert.Equal(unit.Groups[1].Value, header.Groups[1].Value);
            checkedUnits++;
        }

        Assert.True(checkedUnits > 0, "no unit with both DW_AT_stmt_list and DW_AT_macros");
    }
}
