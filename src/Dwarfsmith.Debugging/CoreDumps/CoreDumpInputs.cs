using Dwarfsmith.Tools.PostLink;
using Dwarfsmith.Wasm;
using Dwarfsmith.Wasm.CoreDumps;

namespace Dwarfsmith.Debugging.CoreDumps;

/// <summary>The files a dump is read with, and why a debug file was taken or refused.</summary>
/// <param name="DebugInfo">The separate debug file, or null when the module carries its DWARF (or has none).</param>
/// <param name="Warning">Something the user should know, e.g. that no build id proves the debug file belongs to the module.</param>
public sealed record DebugInfoChoice(DebugFile? DebugInfo, string? Warning);

/// <summary>
/// Finds the module a dump ran and its DWARF: the module given, else the name in <c>coremodules</c>
/// (else in <c>core</c>) beside the dump; the DWARF in the module, or in the file its
/// <c>external_debug_info</c> names, which must carry the module's <c>build_id</c>.
/// </summary>
public static class CoreDumpInputs
{
    /// <summary>Where the module is expected: <paramref name="given"/>, else the dump's module name resolved beside the dump.</summary>
    public static string ModulePath(string dumpPath, CoreDump dump, string? given)
    {
        ArgumentNullException.ThrowIfNull(dumpPath);
        ArgumentNullException.ThrowIfNull(dump);
        if (given is not null)
            return given;
        var name = dump.Modules.Count > 0 ? dump.Modules[0] : dump.ExecutableName;
        var folder = Path.GetDirectoryName(Path.GetFullPath(dumpPath)) ?? ".";
        // A producer may record a path; beside the dump is where the file is looked for first.
        var beside = Path.Combine(folder, Path.GetFileName(name));
        return File.Exists(beside) || Path.IsPathRooted(name) is false ? beside : name;
    }

    /// <summary>
    /// The DWARF to read the module with. A module with .debug_* sections uses its own; one with an
    /// <c>external_debug_info</c> link uses that file, which must be there and must not carry another
    /// build id (<see cref="DebugInfoException"/>).
    /// </summary>
    public static DebugInfoChoice DebugInfo(string modulePath, WasmModule module)
    {
        ArgumentNullException.ThrowIfNull(module);
        if (module.DebugSections.Any() || module.ExternalDebugInfo is not { Length: > 0 } link)
            return new DebugInfoChoice(null, null);
        if (!DebugFileLocator.TryFind(modulePath, module, out var debugFile))
            throw new DebugInfoException($"{modulePath}: its debug file '{link}' (external_debug_info) is not there");
        if (debugFile.BuildIdMatches)
            return new DebugInfoChoice(debugFile, null);
        if (module.BuildId is { } id && debugFile.Module.BuildId is { } debugId)
        {
            throw new DebugInfoException(
                $"{debugFile.Path} is not the debug file of {modulePath}: build id {Convert.ToHexStringLower(debugId)} differs from the module's {Convert.ToHexStringLower(id)}");
        }

        return new DebugInfoChoice(debugFile, $"no build id proves that {debugFile.Path} belongs to {modulePath}");
    }
}

/// <summary>The module's debug information cannot be used: the debug file is missing or belongs to another build.</summary>
public sealed class DebugInfoException(string message) : Exception(message);
