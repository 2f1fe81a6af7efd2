using Dwarfsmith.Wasm;

namespace Dwarfsmith.Cli;

/// <summary>Small descriptions of module parts shared by the text and JSON printers.</summary>
internal static class ModuleFacts
{
    public static string ImportDescription(WasmModule module, Import import) => import.Kind switch
    {
        ExternalKind.Function => import.TypeIndex < module.Types.Count ? module.Types[(int)import.TypeIndex].ToString() : $"type {import.TypeIndex}",
        ExternalKind.Table => $"{import.Table.ElementType.Name()} {LimitsText(import.Table.Limits)}",
        ExternalKind.Memory => LimitsText(import.Memory.Limits),
        ExternalKind.Global => $"{(import.Global.Mutable ? "mut " : "")}{import.Global.ValueType.Name()}",
        ExternalKind.Tag => $"tag type {import.Tag.TypeIndex}",
        _ => "",
    };

    public static string LimitsText(Limits limits) =>
        $"{(limits.Is64 ? "i64 " : "")}min {limits.Minimum}{(limits.Maximum is { } max ? $" max {max}" : "")}{(limits.Shared ? " shared" : "")}";
}
