using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using Dwarfsmith.Elf;

namespace Dwarfsmith.Aot;

/// <summary>
/// Where native DWARF goes once it is made (docs/ARCHITECTURE.md, "Native debug sections and debug
/// files"): into a linked executable, in place of its own <c>.debug_*</c> sections, or into a separate
/// ELF debug file that gdb and lldb find beside the stripped executable, through its
/// <c>.gnu_debuglink</c> or its GNU build-id. Every other section (code, <c>.eh_frame</c>, the symbol
/// table, <c>.dwarfsmith.code_offsets</c>) is kept as it is. The sections are laid out by objcopy
/// (binutils' or LLVM's); outputs are written to a temporary file and renamed into place, and the
/// input is never modified.
/// </summary>
public static class NativeDebugFiles
{
    private const uint NoteGnuBuildId = 3;

    /// <summary>
    /// Writes <paramref name="executable"/> to <paramref name="outputPath"/> with its <c>.debug_*</c>
    /// sections replaced by <paramref name="sections"/> (name → contents, every name <c>.debug_…</c>).
    /// </summary>
    /// <param name="objcopy">The objcopy to use; null: objcopy or llvm-objcopy on PATH.</param>
    /// <exception cref="ArgumentException">A section name that does not start with <c>.debug_</c>.</exception>
    /// <exception cref="AotException">objcopy is missing or fails.</exception>
    public static void ReplaceDebugSections(string executable, IReadOnlyDictionary<string, ReadOnlyMemory<byte>> sections, string outputPath,
        string? objcopy = null)
    {
        var tool = Objcopy(objcopy, sections);
        InWorkFolder(work =>
        {
            var replaced = Replace(tool, executable, sections, work);
            AotCompiler.PlaceAtomically(replaced, outputPath);
        });
    }

    /// <summary>
    /// Writes <paramref name="executable"/> without DWARF to <paramref name="outputPath"/>, and an ELF
    /// debug file holding <paramref name="sections"/> to <paramref name="debugFilePath"/>. The
    /// executable's <c>.gnu_debuglink</c> names the debug file's file name (with its CRC), which gdb
    /// and lldb look for beside the executable and in its <c>.debug/</c> folder; the debug file keeps
    /// the executable's build-id note, so that a debugger also finds it as
    /// <c>DIR/</c><see cref="BuildIdDebugPath"/> under a debug-file directory. The debug file is
    /// placed first, then the executable.
    /// </summary>
    /// <param name="objcopy">The objcopy to use; null: objcopy or llvm-objcopy on PATH.</param>
    /// <exception cref="ArgumentException">A section name that does not start with <c>.debug_</c>.</exception>
    /// <exception cref="AotException">objcopy is missing or fails.</exception>
    public static void WriteWithDebugFile(string executable, IReadOnlyDictionary<string, ReadOnlyMemory<byte>> sections, string outputPath,
        string debugFilePath, string? objcopy = null)
    {
        var tool = Objcopy(objcopy, sections);
        InWorkFolder(work =>
        {
            var replaced = Replace(tool, executable, sections, work);
            // The debuglink records the file name it is given: make the debug file under its final name.
            var debugFile = Path.Combine(Directory.CreateDirectory(Path.Combine(work, "debug")).FullName, Path.GetFileName(debugFilePath));
            RunObjcopy(tool, ["--only-keep-debug", replaced, debugFile]);
            var stripped = Path.Combine(work, "stripped");
            RunObjcopy(tool, [.. RemovalArguments(replaced, includeDebugLink: false), $"--add-gnu-debuglink={debugFile}", replaced, stripped]);
            AotCompiler.PlaceAtomically(debugFile, debugFilePath);
            AotCompiler.PlaceAtomically(stripped, outputPath);
        });
    }

    /// <summary>The GNU build-id of an ELF file (its <c>.note.gnu.build-id</c>), when it has one.</summary>
    /// <exception cref="ElfFormatException">The file is not ELF.</exception>
    public static bool TryReadBuildId(string elfPath, [NotNullWhen(true)] out byte[]? buildId)
    {
        buildId = null;
        var section = ElfFile.Read(File.ReadAllBytes(elfPath)).FindSection(".note.gnu.build-id");
        var note = section is null ? [] : section.Data.Span;
        // Notes: name size, descriptor size, type, then name and descriptor, each padded to 4 bytes.
        while (note.Length >= 12)
        {
            var nameSize = BinaryPrimitives.ReadUInt32LittleEndian(note);
            var descriptorSize = BinaryPrimitives.ReadUInt32LittleEndian(note[4..]);
            var type = BinaryPrimitives.ReadUInt32LittleEndian(note[8..]);
            var nameEnd = 12 + (((long)nameSize + 3) & ~3L);
            if (nameEnd + descriptorSize > note.Length)
                return false;
            if (type == NoteGnuBuildId && note.Slice(12, (int)nameSize).SequenceEqual("GNU\0"u8) && descriptorSize > 0)
            {
                buildId = note.Slice((int)nameEnd, (int)descriptorSize).ToArray();
                return true;
            }
            note = note[(int)Math.Min(note.Length, nameEnd + ((descriptorSize + 3L) & ~3L))..];
        }
        return false;
    }

    /// <summary>
    /// Where debuggers look for a build-id's debug file, relative to a debug-file directory:
    /// <c>.build-id/xx/yyyy….debug</c> (the first byte in hex names the folder).
    /// </summary>
    public static string BuildIdDebugPath(ReadOnlySpan<byte> buildId)
    {
        if (buildId.Length < 2)
            throw new ArgumentException("a build-id has at least two bytes", nameof(buildId));
        var hex = Convert.ToHexStringLower(buildId);
        return Path.Combine(".build-id", hex[..2], hex[2..] + ".debug");
    }

    /// <summary>The executable with its DWARF replaced, in <paramref name="work"/>.</summary>
    private static string Replace(string tool, string executable, IReadOnlyDictionary<string, ReadOnlyMemory<byte>> sections, string work)
    {
        var removed = Path.Combine(work, "removed");
        // Removing and adding a name in one objcopy run depends on the objcopy: two runs.
        RunObjcopy(tool, [.. RemovalArguments(executable, includeDebugLink: true), executable, removed]);
        var arguments = new List<string>();
        var index = 0;
        foreach (var (name, contents) in sections.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            var file = Path.Combine(work, $"section{index++}");
            File.WriteAllBytes(file, contents.ToArray());
            arguments.AddRange(["--add-section", $"{name}={file}"]);
        }
        var replaced = Path.Combine(work, "replaced");
        RunObjcopy(tool, [.. arguments, removed, replaced]);
        return replaced;
    }

    /// <summary>objcopy arguments removing every DWARF section of <paramref name="elfPath"/> (and its debuglink, when asked).</summary>
    private static List<string> RemovalArguments(string elfPath, bool includeDebugLink)
    {
        var arguments = new List<string>();
        foreach (var section in ElfFile.Read(File.ReadAllBytes(elfPath)).Sections)
        {
            if (IsDebugSection(section.Name) || (includeDebugLink && section.Name == ".gnu_debuglink"))
                arguments.AddRange(["--remove-section", section.Name]);
        }
        return arguments;
    }

    private static bool IsDebugSection(string name) =>
        name.StartsWith(".debug_", StringComparison.Ordinal) || name.StartsWith(".zdebug_", StringComparison.Ordinal);

    private static string Objcopy(string? requested, IReadOnlyDictionary<string, ReadOnlyMemory<byte>> sections)
    {
        foreach (var name in sections.Keys)
        {
            if (!name.StartsWith(".debug_", StringComparison.Ordinal) || name.Contains('=', StringComparison.Ordinal))
                throw new ArgumentException($"not a DWARF section name: {name}", nameof(sections));
        }
        return requested ?? AotCompiler.FindObjcopy() ?? throw new AotException("objcopy not found: it writes debug sections (install binutils or llvm)");
    }

    private static void RunObjcopy(string tool, IEnumerable<string> arguments)
    {
        var (exitCode, output) = AotCompiler.Run(tool, arguments);
        if (exitCode != 0)
            throw new AotException($"{tool} failed (exit {exitCode}):\n{output}");
    }

    private static void InWorkFolder(Action<string> action)
    {
        var work = Directory.CreateTempSubdirectory("dwarfsmith-debug-");
        try
        {
            action(work.FullName);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }
}
