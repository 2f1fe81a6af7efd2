using System.Text.RegularExpressions;
using Dwarfsmith.Dwarf.Reading;
using Dwarfsmith.TestSupport;
using Xunit;

namespace Dwarfsmith.Dwarf.Transform.Tests;

/// <summary>Keeps only the units whose DW_AT_name ends with one of the names given, unchanged.</summary>
internal sealed class KeepUnitsNamedVisitor(params string[] names) : DwarfVisitor
{
    public override bool KeepUnit(Unit unit) => unit.Name is { } name && names.Any(n => name.EndsWith(n, StringComparison.Ordinal));
}

/// <summary>
/// One pass over several inputs (<see cref="DwarfTransform.Run(IReadOnlyList{TransformInput})"/>):
/// a wasm module's DWARF, written at address size 8, and a native executable's DWARF of which one
/// unit is kept, become one set of sections in an ELF executable. llvm-dwarfdump verifies it and
/// reads each unit as it read that unit in its own input.
/// </summary>
public partial class MultipleInputsTests
{
    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public void A_wasm_module_and_some_native_units_make_one_set_of_sections(int version)
    {
        string wasm = Corpus.Get("structs").BuildWasm(OptLevel.O2, version).Path;
        string runtime = Path.Combine(RepoPaths.Root, "tests", "Dwarfsmith.Dwarf.Transform.Tests", "Inputs", "runtime_unit.c");
        string native = CCompiler.Compile([Corpus.Get("loops").SourcePath, runtime], CompileOptions.Host(OptLevel.O0, version)).Path;

        var results = DwarfTransform.Run([
            new TransformInput(NativeContainer.Wasm(wasm), new AddressSize8Visitor()),
            new TransformInput(NativeContainer.Elf(native), new KeepUnitsNamedVisitor("runtime_unit.c")),
        ]);
        Assert.Equal(2, results.Count);
        Assert.Same(results[0].Output, results[1].Output);
        var output = results[0].Output;
        string elf = NativeContainer.WriteElf(native, output.Emit(), $"two-inputs-v{version}");
        Rewriting.AssertNoNewVerifyErrors(native, elf);

        // The wasm units first, then the one native unit kept, each as its input had it.
        var wasmUnits = Units(NativeContainer.AtAddressSize4(Rewriting.Dump(wasm, "--debug-info"), 4));
        var nativeUnits = Units(Rewriting.Dump(native, "--debug-info"));
        var outputUnits = Units(Rewriting.Dump(elf, "--debug-info"));
        var kept = nativeUnits.Where(u => u.Contains("runtime_unit.c", StringComparison.Ordinal)).ToList();
        Assert.Single(kept);
        Assert.True(nativeUnits.Count > kept.Count, "the native input has no unit to leave out");
        Assert.Equal(wasmUnits.Count + 1, outputUnits.Count);
        for (int i = 0; i < wasmUnits.Count; i++)
        {
            Rewriting.AssertSameText(DumpNormalizer.Info(wasmUnits[i]), DumpNormalizer.Info(NativeContainer.AtAddressSize4(outputUnits[i], 8)), $"wasm unit {i}");
        }

        Rewriting.AssertSameText(DumpNormalizer.Info(kept[0]), DumpNormalizer.Info(outputUnits[^1]), "the native unit kept");

        // One line table per unit, each unit naming its own: the native one at its input's address size.
        string lines = Rewriting.Dump(elf, "--debug-line");
        Assert.Equal(outputUnits.Count, Regex.Count(lines, "^debug_line\\[", RegexOptions.Multiline));
        Assert.Contains("runtime_unit.c", lines, StringComparison.Ordinal);
    }

    /// <summary>A --debug-info dump cut into its units, each as a dump of its own (header line first).</summary>
    private static List<string> Units(string dump)
    {
        var units = new List<string>();
        List<string>? current = null;
        foreach (string line in dump.Split('\n'))
        {
            if (UnitHeader().IsMatch(line))
            {
                if (current is not null)
                    units.Add(string.Join('\n', current));
                current = [];
            }

            current?.Add(line);
        }

        if (current is not null)
            units.Add(string.Join('\n', current));
        return units;
    }

    [GeneratedRegex(@"^0x[0-9a-f]+: \w+ Unit: ")]
    private static partial Regex UnitHeader();
}
