using Dwarfsmith.Wasm;
using Dwarfsmith.Wasm.CustomSections;
using Dwarfsmith.Wasm.Writing;

namespace Dwarfsmith.Tools.PostLink;

/// <summary>What <see cref="DebugInfoStripper"/> keeps beside the code.</summary>
/// <param name="KeepNameSection">Keep the <c>name</c> section (function names in stack traces).</param>
/// <param name="KeepDebugLinks">Keep <c>external_debug_info</c> and <c>sourceMappingURL</c>, which point to debug info elsewhere.</param>
public sealed record StripOptions(bool KeepNameSection = false, bool KeepDebugLinks = false);

/// <summary><c>dwarfsmith strip</c>: removes debug information; every other section stays byte for byte.</summary>
public static class DebugInfoStripper
{
    public static byte[] Strip(WasmModule module, StripOptions options)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(options);
        LinkedModule.Require(module, "strip");
        var builder = new ModuleBuilder(module);
        builder.RemoveAll(s => s.IsCustom && IsStripped(s.Name!, options));
        return builder.ToArray();
    }

    public static bool IsStripped(string customSectionName, StripOptions options)
    {
        ArgumentNullException.ThrowIfNull(customSectionName);
        ArgumentNullException.ThrowIfNull(options);
        return customSectionName.StartsWith(".debug_", StringComparison.Ordinal)
            || (!options.KeepNameSection && customSectionName == NameSection.SectionName)
            || (!options.KeepDebugLinks && customSectionName is SingleValueSections.ExternalDebugInfo or SingleValueSections.SourceMappingUrl);
    }
}
