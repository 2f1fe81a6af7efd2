using System.Diagnostics.CodeAnalysis;
using Dwarfsmith.Wasm;

namespace Dwarfsmith.Tools.PostLink;

/// <summary>A module's separate debug file, as its <c>external_debug_info</c> names it.</summary>
/// <param name="Path">Where it was found.</param>
/// <param name="Module">The debug file, read.</param>
/// <param name="BuildIdMatches">Both carry the same <c>build_id</c> (false when either has none: nothing proves they belong together).</param>
public sealed record DebugFile(string Path, WasmModule Module, bool BuildIdMatches);

/// <summary>Follows <c>external_debug_info</c> to the file that holds a module's DWARF.</summary>
public static class DebugFileLocator
{
    /// <summary>
    /// Finds the debug file of the module read from <paramref name="modulePath"/>: the link taken as a
    /// path, relative to the module's folder unless absolute (a URL with a scheme is not fetched);
    /// false when the module has no link or the file is not there. A file that is there but malformed
    /// throws <see cref="WasmFormatException"/>.
    /// </summary>
    public static bool TryFind(string modulePath, WasmModule module, [NotNullWhen(true)] out DebugFile? debugFile)
    {
        ArgumentNullException.ThrowIfNull(modulePath);
        ArgumentNullException.ThrowIfNull(module);
        debugFile = null;
        if (module.ExternalDebugInfo is not { Length: > 0 } link || link.Contains("://", StringComparison.Ordinal))
            return false;
        string folder = Path.GetDirectoryName(Path.GetFullPath(modulePath)) ?? ".";
        string path = Path.IsPathRooted(link) ? link : Path.Combine(folder, link);
        var file = new FileInfo(path);
        if (!file.Exists)
            return false;
        var debug = WasmModule.Read(ReadAsLong(file));
        bool matches = module.BuildId is { } id && debug.BuildId is { } debugId && id.AsSpan().SequenceEqual(debugId);
        debugFile = new DebugFile(path, debug, matches);
        return true;
    }

    /// <summary>Reads as many bytes as the file's size says: a link to a device such as /dev/zero reads nothing rather than forever.</summary>
    private static byte[] ReadAsLong(FileInfo file)
    {
        using var stream = file.OpenRead();
        var bytes = new byte[file.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }
}
