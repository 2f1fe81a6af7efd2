using Dwarfsmith.Dwarf;
using Dwarfsmith.Dwarf.Collections;
using Dwarfsmith.Dwarf.Reading;
using Dwarfsmith.Dwarf.Transform;
using Dwarfsmith.Elf;
using Dwarfsmith.Tools;
using Dwarfsmith.Wasm;

namespace Dwarfsmith.Aot.NativeDwarf;

/// <summary>
/// The debug information of a debug build (<c>aot -g</c>): the module's DWARF translated by
/// <see cref="WasmToNativeVisitor"/>, and the runtime's own units as the C compiler wrote them, in
/// one set of sections; the generated C's units are left out (nobody should step into generated C),
/// and functions the module's DWARF does not describe are named after its name section
/// (<see cref="NameSectionUnit"/>).
/// Also the code offset table that guard-page traps read, from the same one read of the
/// executable's DWARF.
/// </summary>
public sealed class NativeDebugInfo
{
    private NativeDebugInfo(SectionMap sections, byte[] codeOffsetTable, byte[]? frameTable, IReadOnlyList<string> warnings)
    {
        Sections = sections;
        CodeOffsetTable = codeOffsetTable;
        FrameTable = frameTable;
        Warnings = warnings;
    }

    /// <summary>The new .debug_* sections by name.</summary>
    public SectionMap Sections { get; }

    /// <summary>The <c>.dwarfsmith.code_offsets</c> section's bytes.</summary>
    public byte[] CodeOffsetTable { get; }

    /// <summary>The <c>.dwarfsmith.frames</c> section's bytes, when core dumps were asked for (<see cref="NativeFrameTable"/>).</summary>
    public byte[]? FrameTable { get; }

    /// <summary>What the transform left out, and why.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>
    /// Builds it for <paramref name="module"/> and the executable the C compiler linked from its
    /// translation (<paramref name="executable"/>: its bytes, with the generated C's DWARF).
    /// </summary>
    /// <param name="lineFileName">The module's name in the <c>#line</c> directives.</param>
    /// <param name="generatedFileNames">The translated C's file names (the units to leave out).</param>
    /// <param name="frameTableFor">With core dumps: the translation, for the frame table of the runtime's core dump writer.</param>
    public static NativeDebugInfo Build(WasmModule module, ReadOnlyMemory<byte> executable, string lineFileName, IReadOnlyCollection<string> generatedFileNames,
        CTranslation? frameTableFor = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        var native = new DwarfContext(DwarfContainers.FromElf(ElfFile.Read(executable)));
        var code = NativeCodeMap.Read(native, lineFileName);
        var generated = GeneratedCode.Read(native, generatedFileNames);
        var table = NativeCodeOffsetTable.Build(code);
        var frameTable = frameTableFor is null ? null : NativeFrameTable.Build(module, frameTableFor, generated);

        var runtime = new RuntimeUnitsVisitor(generated.GeneratedUnits);
        List<TransformInput> inputs = [];
        if (module.DebugSize > 0)
            inputs.Add(new TransformInput(new DwarfContext(DwarfContainers.FromWasm(module)), new WasmToNativeVisitor(code, generated, JumpTargetLabels.Find(module))));
        inputs.Add(new TransformInput(native, runtime));
        var results = DwarfTransform.Run(inputs);
        var output = results[0].Output;
        NameSectionUnit.Add(output, module, lineFileName, generated);
        var warnings = results.SelectMany(r => r.Warnings).ToList();
        return new NativeDebugInfo(output.Emit(), table, frameTable, warnings);
    }

    /// <summary>
    /// Puts the sections into <paramref name="executable"/> in place of its own .debug_* sections,
    /// with the code offset table (and the frame table), through <paramref name="objcopy"/>.
    /// </summary>
    public void Attach(string executable, string objcopy)
    {
        var directory = Directory.CreateTempSubdirectory("dwarfsmith-debug-").FullName;
        try
        {
            List<string> arguments =
            [
                "--remove-section=.debug_*", "--remove-section=" + NativeCodeOffsetTable.SectionName, "--remove-section=" + NativeFrameTable.SectionName,
                "--redefine-sym", "main=" + RuntimeMain,
            ];
            void Add(string name, ReadOnlySpan<byte> bytes)
            {
                var path = Path.Combine(directory, name.TrimStart('.'));
                File.WriteAllBytes(path, bytes.ToArray());
                arguments.Add("--add-section");
                arguments.Add($"{name}={path}");
            }

            foreach (var name in Sections.Keys)
                Add(name, Sections[name].Span);
            Add(NativeCodeOffsetTable.SectionName, CodeOffsetTable);
            if (FrameTable is not null)
                Add(NativeFrameTable.SectionName, FrameTable);
            arguments.Add(executable);
            var (exitCode, output) = AotCompiler.Run(objcopy, arguments);
            if (exitCode != 0)
                throw new AotException($"{objcopy} failed (exit {exitCode}) writing the debug information:\n{output}");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>
    /// What the runtime's C entry point is called in a debug build, in its DWARF and its symbol:
    /// the program's own <c>main</c> is the only one, so that <c>break main</c> has one location and
    /// gdb's backtrace ends there, as it does natively.
    /// </summary>
    public const string RuntimeMain = "wasm_runtime_main";

    /// <summary>Keeps the executable's units but the generated C's, unchanged but for the runtime's main (<see cref="RuntimeMain"/>).</summary>
    private sealed class RuntimeUnitsVisitor(IReadOnlySet<long> generatedUnits) : DwarfVisitor
    {
        public override bool KeepUnit(Unit unit) => !generatedUnits.Contains(unit.Offset);

        public override void VisitAttribute(in Dwarf.Reading.AttributeValue attribute, AttributeWriter output)
        {
            if (attribute.Name == DwAt.DW_AT_name && output.Entry.Tag == DwTag.DW_TAG_subprogram && output.Entry.Depth == 1
                && output.InputUnit.GetString(attribute) == "main")
            {
                output.Write(DwAt.DW_AT_name, Dwarf.Writing.AttributeValue.String(RuntimeMain));
                return;
            }

            output.Keep();
        }
    }
}
