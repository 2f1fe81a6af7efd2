using Dwarfsmith.Dwarf;
using Dwarfsmith.Dwarf.Reading;
using Dwarfsmith.Tools;
using Dwarfsmith.Wasm;

namespace Dwarfsmith.DebugTest;

/// <summary>
/// The names of every variable and formal parameter a wasm module's DWARF describes, in any scope: a
/// variable the reference shows and the module lacks was lost by the wasm producer, not by the engine
/// (<see cref="DivergenceKind.MissingInModule"/>). Measured: clang-22 for wasm32 leaves out a struct
/// local that its function returns by value (the named return value lives in the caller's return slot),
/// which the i386 build describes.
/// </summary>
public static class ModuleVariables
{
    public static HashSet<string> Read(string wasmModule)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var context = new DwarfContext(DwarfContainers.FromWasm(WasmModule.ReadFile(wasmModule)));
        foreach (var unit in context.Units)
        {
            var cursor = unit.Entries();
            while (cursor.MoveNext())
            {
                if (!cursor.IsNull && cursor.Tag is DwTag.DW_TAG_variable or DwTag.DW_TAG_formal_parameter
                    && cursor.TryGetAttribute(DwAt.DW_AT_name, out var name) && unit.GetString(name) is { } text)
                    names.Add(text);
            }
        }

        return names;
    }
}
