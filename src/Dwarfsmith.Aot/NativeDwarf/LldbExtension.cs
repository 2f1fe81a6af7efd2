using System.Security.Cryptography;
using System.Text;

namespace Dwarfsmith.Aot.NativeDwarf;

/// <summary>
/// The lldb extension for <c>aot -g</c> executables (<c>NativeDwarf/Lldb/*.py</c>, embedded): lldb-22
/// reads a pointer as 8 bytes whatever its DWARF type's size, so what the program's 4-byte wasm32
/// pointers hold and point to is read by the extension (see docs/ARCHITECTURE.md, "lldb"). The
/// <c>dwarfsmith lldb</c> launcher and the tests load the same files, through
/// <c>command script import</c> of <see cref="EntryModule"/>.
/// </summary>
public static class LldbExtension
{
    /// <summary>The module lldb imports; it imports the others from its own folder.</summary>
    public const string EntryModule = "dwarfsmith_lldb.py";

    private const string ResourcePrefix = "Lldb/";

    private static readonly Lazy<IReadOnlyList<(string Name, string Text)>> s_files = new(Load);

    /// <summary>The extension's Python modules, by file name.</summary>
    public static IReadOnlyList<(string Name, string Text)> Files => s_files.Value;

    /// <summary>
    /// Writes the modules into <c>dwarfsmith-lldb-HASH</c> under <paramref name="root"/> (named by their
    /// content, so a folder once complete never changes and concurrent launches agree) and returns the
    /// path of <see cref="EntryModule"/>.
    /// </summary>
    public static string Install(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        var folder = Path.Combine(root, "dwarfsmith-lldb-" + ContentHash());
        var entry = Path.Combine(folder, EntryModule);
        if (File.Exists(entry))
            return entry;

        // Written whole into a scratch folder, then renamed into place: lldb never sees a partial set.
        Directory.CreateDirectory(root);
        var scratch = Path.Combine(root, $".dwarfsmith-lldb-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(scratch);
        try
        {
            foreach (var (name, text) in Files)
                File.WriteAllText(Path.Combine(scratch, name), text);
            Directory.Move(scratch, folder);
        }
        catch (IOException) when (File.Exists(entry))
        {
            // Another launch installed the same content first.
        }
        finally
        {
            if (Directory.Exists(scratch))
                Directory.Delete(scratch, recursive: true);
        }

        return entry;
    }

    private static string ContentHash()
    {
        var all = new StringBuilder();
        foreach (var (name, text) in Files)
            all.Append(name).Append('\0').Append(text).Append('\0');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(all.ToString())))[..16];
    }

    private static List<(string Name, string Text)> Load()
    {
        var assembly = typeof(LldbExtension).Assembly;
        var files = new List<(string Name, string Text)>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            files.Add((name[ResourcePrefix.Length..], reader.ReadToEnd()));
        }

        return files;
    }
}
