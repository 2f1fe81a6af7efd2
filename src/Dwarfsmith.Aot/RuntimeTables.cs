using Dwarfsmith.Aot.NativeDwarf;
using Dwarfsmith.Dwarf.Reading;
using Dwarfsmith.Elf;
using Dwarfsmith.Tools;
using Dwarfsmith.Wasm;

namespace Dwarfsmith.Aot;

/// <summary>
/// The tables the runtime reads from its own executable only when something goes wrong, attached as
/// non-allocated sections to an executable without <c>-g</c> (a debug build gets them from
/// <see cref="NativeDebugInfo"/>): the code offset table for guard-page traps
/// (<see cref="NativeCodeOffsetTable"/>), and with core dumps the frame table
/// (<see cref="NativeFrameTable"/>). Both come from one read of the executable's native DWARF.
/// </summary>
internal static class RuntimeTables
{
    public static void Attach(string executable, WasmModule module, CTranslation translation, IReadOnlyCollection<string> generatedFileNames,
        bool frameTable, string objcopy)
    {
        var native = new DwarfContext(DwarfContainers.FromElf(ElfFile.Read(File.ReadAllBytes(executable))));
        List<(string Name, byte[] Bytes)> sections =
            [(NativeCodeOffsetTable.SectionName, NativeCodeOffsetTable.Build(NativeCodeMap.Read(native, translation.LineFileName)))];
        if (frameTable)
            sections.Add((NativeFrameTable.SectionName, NativeFrameTable.Build(module, translation, GeneratedCode.Read(native, generatedFileNames))));
        Add(executable, sections, objcopy);
    }

    /// <summary>Adds <paramref name="sections"/> to <paramref name="executable"/> with objcopy (each written to a temporary file first).</summary>
    internal static void Add(string executable, IReadOnlyList<(string Name, byte[] Bytes)> sections, string objcopy)
    {
        var directory = Directory.CreateTempSubdirectory("dwarfsmith-tables-").FullName;
        try
        {
            var arguments = new List<string>();
            foreach (var (name, bytes) in sections)
            {
                var path = Path.Combine(directory, name.TrimStart('.'));
                File.WriteAllBytes(path, bytes);
                arguments.AddRange(["--add-section", $"{name}={path}"]);
            }

            arguments.Add(executable);
            var (exitCode, output) = AotCompiler.Run(objcopy, arguments);
            if (exitCode != 0)
                throw new AotException($"{objcopy} failed (exit {exitCode}) adding {string.Join(", ", sections.Select(s => s.Name))}:\n{output}");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
