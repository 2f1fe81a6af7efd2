using Dwarfsmith.Wasm;
using Dwarfsmith.Wasm.CustomSections;
using Dwarfsmith.Wasm.Writing;

namespace Dwarfsmith.Tools.PostLink;

/// <summary>The two files of a split: the module to ship and the module debuggers load beside it.</summary>
/// <param name="Main">The module without .debug_* sections, with <c>external_debug_info</c> and <c>build_id</c>.</param>
/// <param name="Debug">The same module with its .debug_* and name sections and the same build id, without debug links.</param>
/// <param name="BuildId">The id both carry.</param>
public sealed record SplitModules(byte[] Main, byte[] Debug, byte[] BuildId);

/// <summary>
/// <c>dwarfsmith split</c> (and <c>compact --debug-file</c>): moves debug information into a separate
/// wasm file. The debug file keeps every standard section, code included, as Emscripten's
/// <c>-gseparate-dwarf</c> does: LLDB and Chrome's DWARF extension read DWARF addresses against its
/// own code section, and a complete module is one every wasm reader accepts.
/// </summary>
public static class DebugInfoSplitter
{
    public static SplitModules Split(WasmModule module, string debugLink)
    {
        LinkedModule.Require(module, "split");
        return Split(new ModuleBuilder(module), module.BuildId?.Length, debugLink);
    }

    /// <summary>
    /// Splits a module given as sections (a compacted one, say). <paramref name="buildIdLength"/> is the
    /// length of the build id to compute (the input's, or null to add one of <see cref="BuildIds.DefaultLength"/> bytes).
    /// The main module's id is computed from its bytes; the debug file gets the same.
    /// </summary>
    public static SplitModules Split(ModuleBuilder module, int? buildIdLength, string debugLink)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentException.ThrowIfNullOrEmpty(debugLink);
        // The id goes in before the copies, so that it sits at the same place in both files.
        module.SetCustom(SingleValueSections.BuildId, SingleValueSections.EncodeBytes(new byte[buildIdLength ?? BuildIds.DefaultLength]));

        var main = Copy(module, s => !(s.IsCustom && s.Name!.StartsWith(".debug_", StringComparison.Ordinal)) && !IsDebugLink(s));
        main.SetCustom(SingleValueSections.ExternalDebugInfo, SingleValueSections.EncodeString(debugLink));
        var (mainBytes, id) = BuildIds.EncodeWithNewId(main, buildIdLength ?? BuildIds.DefaultLength);

        var debug = Copy(module, s => !IsDebugLink(s));
        debug.SetCustom(SingleValueSections.BuildId, SingleValueSections.EncodeBytes(id));
        return new SplitModules(mainBytes, debug.ToArray(), id);
    }

    /// <summary>The link to write into the main module: the debug file's path relative to the main module's folder.</summary>
    public static string RelativeLink(string mainPath, string debugPath)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(mainPath))!;
        return Path.GetRelativePath(folder, Path.GetFullPath(debugPath)).Replace('\\', '/');
    }

    private static bool IsDebugLink(SectionEntry section) =>
        section.IsCustom && section.Name is SingleValueSections.ExternalDebugInfo or SingleValueSections.SourceMappingUrl;

    private static ModuleBuilder Copy(ModuleBuilder source, Func<SectionEntry, bool> keep)
    {
        var copy = new ModuleBuilder { Version = source.Version };
        foreach (var section in source.Sections)
        {
            if (keep(section))
                copy.Add(section);
        }
        return copy;
    }
}
