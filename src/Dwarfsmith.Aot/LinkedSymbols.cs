using System.Text;
using Dwarfsmith.Wasm;

namespace Dwarfsmith.Aot;

/// <summary>
/// The C a linked module (<see cref="ModuleLinkage"/>) needs beyond a WASI command's: before
/// <c>wasm_rt.h</c>, macros that rename the fixed names of the naming scheme (<c>wasm_global_3</c>,
/// <c>wasm_mem0_base</c>, <c>wasm_module_instantiate</c> …) to this module's prefixed symbols or to
/// the symbols of the modules it imports from, so the translated code itself is the same; extern
/// declarations of imported globals and tables; and a non-static entry point per exported function.
/// </summary>
internal static class LinkedSymbols
{
    public static void WriteRenames(StringBuilder o, WasmModule module, ModuleLinkage linkage)
    {
        var prefix = linkage.Prefix;
        void Rename(string name, string symbol) => o.Append("#define ").Append(name).Append(' ').Append(symbol).Append('\n');
        Rename("wasm_module_name", prefix + "module_name");
        Rename("wasm_functions", prefix + "functions");
        Rename("wasm_function_count", prefix + "function_count");
        Rename("wasm_module_instantiate", ModuleLinkage.Instantiate(prefix));
        Rename("wasm_module_run_start", prefix + "run_start");
        var memory = ModuleLinkage.Memory(prefix);
        uint globals = 0, tables = 0;
        for (var i = 0; i < module.Imports.Count; i++)
        {
            var import = module.Imports[i];
            var symbol = linkage.ImportSymbols[i];
            switch (import.Kind)
            {
                case ExternalKind.Global: Rename(CNames.Global(globals++), symbol); break;
                case ExternalKind.Table: Rename(CNames.Table(tables++), symbol); break;
                case ExternalKind.Memory: memory = symbol; break;
            }
        }
        for (var i = 0; i < module.Globals.Count; i++, globals++)
            Rename(CNames.Global(globals), ModuleLinkage.Global(prefix, globals));
        for (var i = 0; i < module.Tables.Count; i++, tables++)
            Rename(CNames.Table(tables), ModuleLinkage.Table(prefix, tables));
        Rename(CNames.MemoryBase, memory + "_base");
        Rename(CNames.MemorySize, memory + "_size");
        Rename("wasm_mem0_max_pages", memory + "_max_pages");
    }

    public static void WriteImportDeclarations(StringBuilder o, WasmModule module)
    {
        uint globals = 0, tables = 0;
        foreach (var import in module.Imports)
        {
            switch (import.Kind)
            {
                case ExternalKind.Global:
                    o.Append("extern ").Append(CNames.CType(import.Global.ValueType)).Append(' ').Append(CNames.Global(globals++)).Append(";\n");
                    break;
                case ExternalKind.Table:
                    o.Append("extern wasm_table ").Append(CNames.Table(tables++)).Append(";\n");
                    break;
            }
        }
        // A module that defines its memory defines the variables the header declares.
        if (module.Memories.Count > 0)
            o.Append("uint8_t *").Append(CNames.MemoryBase).Append(";\nuint64_t ").Append(CNames.MemorySize).Append(", wasm_mem0_max_pages;\n");
        o.Append('\n');
    }

    /// <summary>Each exported defined function as <c>&lt;prefix&gt;func&lt;index&gt;</c>, calling the static translation.</summary>
    public static void WriteExportedFunctions(StringBuilder o, ModuleContext c, ModuleLinkage linkage)
    {
        var done = new HashSet<uint>();
        foreach (var export in c.Module.Exports)
        {
            if (export.Kind != ExternalKind.Function || export.Index < (uint)c.Module.ImportedFunctionCount || !done.Add(export.Index))
                continue;
            var type = c.FunctionType(export.Index);
            o.Append(CNames.ReturnType(type)).Append(' ').Append(ModuleLinkage.Function(linkage.Prefix, export.Index)).Append('(');
            if (type.Parameters.Length == 0)
                o.Append("void");
            for (var i = 0; i < type.Parameters.Length; i++)
                o.Append(i > 0 ? ", " : "").Append(CNames.CType(type.Parameters[i])).Append(" p").Append(i);
            o.Append(") { ").Append(type.Results.Length > 0 ? "return " : "").Append(c.CFunctionName(export.Index)).Append('(');
            for (var i = 0; i < type.Parameters.Length; i++)
                o.Append(i > 0 ? ", " : "").Append('p').Append(i);
            o.Append("); }\n");
        }
        o.Append('\n');
    }
}
