using System.Text;
using Dwarfsmith.Wasm;
using ValueType = Dwarfsmith.Wasm.ValueType;

namespace Dwarfsmith.Aot;

/// <summary>
/// The naming scheme of translated C, which the wasm→native DWARF transform relies on (documented in
/// docs/ARCHITECTURE.md): every wasm local in one C variable <c>l&lt;index&gt;</c> for the whole
/// function, operand-stack slots <c>s&lt;height&gt;_&lt;type&gt;</c>, globals <c>wasm_global_&lt;index&gt;</c>,
/// tables <c>wasm_table_&lt;index&gt;</c>, linear memory <c>wasm_mem0_base</c>/<c>wasm_mem0_size</c>, and
/// functions <c>f_&lt;name-section name&gt;</c>, sanitized and made unique.
/// </summary>
public static class CNames
{
    public const string MemoryBase = "wasm_mem0_base";

    public const string MemorySize = "wasm_mem0_size";

    /// <summary>A function's copy of <see cref="MemoryBase"/>, declared by every function that loads or stores.</summary>
    public const string MemoryBaseLocal = "wasm_mem0_base_local";

    public static string Local(uint index) => $"l{index}";

    public static string StackSlot(int height, ValueType type) => $"s{height}_{TypeSuffix(type)}";

    public static string Global(uint index) => $"wasm_global_{index}";

    public static string Table(uint index) => $"wasm_table_{index}";

    /// <summary>The <c>wasm_func</c> object a funcref to the function points to.</summary>
    public static string FunctionReference(uint functionIndex) => $"wasm_func_{functionIndex}";

    public static string DataSegment(uint index) => $"wasm_data_{index}";

    public static string ElementSegment(uint index) => $"wasm_elem_{index}";

    public static string TypeSuffix(ValueType type) => type switch
    {
        ValueType.I32 => "i32",
        ValueType.I64 => "i64",
        ValueType.F32 => "f32",
        ValueType.F64 => "f64",
        ValueType.V128 => "v128",
        ValueType.FuncRef => "funcref",
        ValueType.ExternRef => "externref",
        _ => throw new AotException($"unsupported value type {type.Name()}"),
    };

    public static string CType(ValueType type) => type switch
    {
        ValueType.I32 => "uint32_t",
        ValueType.I64 => "uint64_t",
        ValueType.F32 => "float",
        ValueType.F64 => "double",
        ValueType.FuncRef => "wasm_funcref",
        ValueType.ExternRef => "wasm_externref",
        ValueType.V128 => "wasm_v128",
        _ => throw new AotException($"unsupported value type {type.Name()}"),
    };

    /// <summary>The C return type of a signature: void, the one result's type, or a <c>wasm_ret_…</c> struct.</summary>
    public static string ReturnType(FunctionType type) => type.Results.Length switch
    {
        0 => "void",
        1 => CType(type.Results[0]),
        _ => MultiValueStruct(type.Results),
    };

    public static string MultiValueStruct(ValueType[] results)
    {
        var name = new StringBuilder("wasm_ret");
        foreach (var result in results)
            name.Append('_').Append(TypeSuffix(result));
        return name.ToString();
    }

    /// <summary>
    /// C names of the defined functions, by function index (imports get null): <c>f_</c> and the
    /// name-section name with every character outside [A-Za-z0-9_] replaced by '_', or
    /// <c>f_func&lt;index&gt;</c> without a name; a name already taken gets <c>_&lt;index&gt;</c> appended.
    /// </summary>
    public static string?[] FunctionNames(WasmModule module)
    {
        var names = new string?[module.FunctionCount];
        var taken = new HashSet<string>(StringComparer.Ordinal);
        for (var i = module.ImportedFunctionCount; i < names.Length; i++)
        {
            var index = (uint)i;
            var source = module.FunctionName(index);
            var name = source is null ? $"f_func{index}" : "f_" + Sanitize(source);
            if (!taken.Add(name))
            {
                name = $"{name}_{index}";
                while (!taken.Add(name))
                    name += "_";
            }
            names[i] = name;
        }
        return names;
    }

    public static string Sanitize(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name)
            builder.Append(char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_');
        return builder.ToString();
    }
}
