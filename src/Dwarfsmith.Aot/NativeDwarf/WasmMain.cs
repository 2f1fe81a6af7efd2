namespace Dwarfsmith.Aot.NativeDwarf;

/// <summary>
/// The names wasm's C ABI gives the program's <c>main</c> (with arguments, without, and the older
/// <c>__original_main</c>), which the debug information shows as <c>main</c>, as natively.
/// </summary>
internal static class WasmMain
{
    public static bool IsRenamedMain(string? name) => name is "__main_argc_argv" or "__original_main" or "__main_void";
}
