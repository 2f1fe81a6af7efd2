using Dwarfsmith.Dwarf;
using Dwarfsmith.Dwarf.Reading;
using Dwarfsmith.Dwarf.Writing;
using Dwarfsmith.Wasm;
using WriteValue = Dwarfsmith.Dwarf.Writing.AttributeValue;

namespace Dwarfsmith.Aot.NativeDwarf;

/// <summary>
/// Names the module's functions that its DWARF does not describe (all of them in a module built
/// without -g; a library's in one linked from objects with and without): a unit of subprograms, one
/// per such function, named after the name section and covering its native code, so that
/// <c>break push</c>, <c>bt</c> and lldb's <c>image lookup</c> name the function as the module does
/// rather than after the generated C (<c>f_push</c>). The functions have no source lines or variables
/// to give.
/// </summary>
public static class NameSectionUnit
{
    private const ulong DwLanguageC11 = 0x1d; // DW_LANG_C11

    /// <summary>The unit's name (its DW_AT_name), after the module's file name.</summary>
    public static string UnitName(string moduleFileName) => moduleFileName + " (functions without DWARF, named by the name section)";

    /// <summary>
    /// Adds the unit to <paramref name="output"/> when some function of <paramref name="module"/> has
    /// native code but no subprogram in the module's DWARF; returns how many functions it names.
    /// </summary>
    public static int Add(DwarfOutput output, WasmModule module, string moduleFileName, GeneratedCode generated)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(generated);
        var described = FunctionsWithSubprograms(module);
        var cNames = CNames.FunctionNames(module);
        var indexByCName = new Dictionary<string, uint>(StringComparer.Ordinal);
        for (int i = 0; i < cNames.Length; i++)
        {
            if (cNames[i] is { } cName)
                indexByCName[cName] = (uint)i;
        }

        var functions = new List<(string Name, NativeFunction Code)>();
        foreach (var function in generated.Functions)
        {
            if (indexByCName.TryGetValue(function.Name, out var index) && !described.Contains(index))
                functions.Add((SourceName(module, index), function));
        }

        if (functions.Count == 0)
            return 0;
        var unit = output.AddUnit(version: 5, addressSize: 8);
        var root = unit.Root;
        root.Add(DwAt.DW_AT_producer, WriteValue.String("dwarfsmith aot -g"));
        // The name section does not say the source language; C is what gdb and lldb assume of a
        // function they know only by name and address.
        root.Add(DwAt.DW_AT_language, WriteValue.Unsigned(DwLanguageC11));
        root.Add(DwAt.DW_AT_name, WriteValue.String(UnitName(moduleFileName)));
        root.Add(DwAt.DW_AT_low_pc, WriteValue.Address(0));
        var ranges = new RangeList();
        foreach (var (name, code) in functions)
        {
            var subprogram = root.AddChild(DwTag.DW_TAG_subprogram);
            subprogram.Add(DwAt.DW_AT_name, WriteValue.String(name));
            subprogram.Add(DwAt.DW_AT_low_pc, WriteValue.Address(code.Low));
            subprogram.Add(DwAt.DW_AT_high_pc, WriteValue.Unsigned(code.High - code.Low));
            ranges.Add(code.Low, code.High);
        }

        root.Add(DwAt.DW_AT_ranges, WriteValue.RangeList(unit.AddRangeList(ranges)));
        return functions.Count;
    }

    /// <summary>
    /// The function's name in the name section (<c>wasm-function[i]</c> without one); the C entry point
    /// that wasm's C ABI renamed is <c>main</c>, as the DWARF translation calls it.
    /// </summary>
    private static string SourceName(WasmModule module, uint index) => module.FunctionName(index) switch
    {
        null => $"wasm-function[{index}]",
        var name when WasmMain.IsRenamedMain(name) => "main",
        var name => name,
    };

    /// <summary>Indices of the functions whose code a subprogram of the module's DWARF starts in.</summary>
    private static HashSet<uint> FunctionsWithSubprograms(WasmModule module)
    {
        var functions = new HashSet<uint>();
        if (module.DebugSize == 0)
            return functions;
        var context = new DwarfContext(Tools.DwarfContainers.FromWasm(module));
        foreach (var unit in context.Units)
        {
            var cursor = unit.Entries();
            while (cursor.MoveNext())
            {
                if (cursor.IsNull || cursor.Tag != DwTag.DW_TAG_subprogram || !cursor.TryGetAttribute(DwAt.DW_AT_low_pc, out var low))
                    continue;
                ulong address = unit.ResolveAddress(low);
                if (!unit.IsTombstone(address) && address <= uint.MaxValue && module.TryFindBodyByCodeOffset((uint)address, out var body))
                    functions.Add(body.FunctionIndex);
            }
        }

        return functions;
    }
}
