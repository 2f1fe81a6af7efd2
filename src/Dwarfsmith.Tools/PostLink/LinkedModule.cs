using Dwarfsmith.Wasm;

namespace Dwarfsmith.Tools.PostLink;

/// <summary>The post-link tools work on linked modules only.</summary>
public static class LinkedModule
{
    /// <summary>
    /// Refuses a relocatable object file: its code is patched through <c>reloc.*</c> sections whose
    /// offsets compaction would invalidate, and stripping its debug sections would orphan relocations.
    /// </summary>
    public static void Require(WasmModule module, string tool)
    {
        ArgumentNullException.ThrowIfNull(module);
        if (module.IsObjectFile || module.CustomSections.Any(s => s.Name!.StartsWith("reloc.", StringComparison.Ordinal)))
        {
            throw new NotSupportedException(
                $"{tool} works on linked modules; this is a relocatable object file (it has a linking or reloc.* section): link it with wasm-ld first");
        }
    }
}
