using Dwarfsmith.Debugging.Expressions;
using Dwarfsmith.Debugging.Locations;
using Dwarfsmith.Debugging.Symbols;
using Dwarfsmith.Debugging.Types;
using Dwarfsmith.Debugging.Values;
using Dwarfsmith.Dwarf;
using Dwarfsmith.Dwarf.Reading;
using Dwarfsmith.Tools;
using Dwarfsmith.Wasm;
using Dwarfsmith.Wasm.CoreDumps;

namespace Dwarfsmith.Debugging.CoreDumps;

/// <summary>
/// A core dump read against its module's DWARF: the backtrace with inlined calls expanded, each
/// frame's parameters and locals, the globals, and C expressions evaluated in a frame. Give it the
/// dump and the module whose code the dump's frames point into (and, when the DWARF lives in a
/// separate file, that file); nothing here reads files or prints.
/// </summary>
public sealed class CoreDumpSession
{
    private readonly DieTree _tree;
    private readonly VariableReader _variables;
    private readonly Dictionary<Unit, LineTable?> _lines = [];
    private readonly List<FrameContext> _frames = [];
    private Dictionary<ulong, uint>? _tableSlots;
    private uint? _tlsBase;

    /// <param name="dump">The dump.</param>
    /// <param name="module">The module the dump's frames ran (its code offsets are the frames').</param>
    /// <param name="debugInfo">The module that holds the DWARF: a separate debug file, or null for <paramref name="module"/> itself.</param>
    /// <param name="moduleName">The module's name for the report.</param>
    public CoreDumpSession(CoreDump dump, WasmModule module, WasmModule? debugInfo = null, string? moduleName = null)
    {
        ArgumentNullException.ThrowIfNull(dump);
        ArgumentNullException.ThrowIfNull(module);
        Dump = dump;
        Module = module;
        ModuleName = moduleName ?? (dump.Modules.Count > 0 ? dump.Modules[0] : dump.ExecutableName);
        _tree = new DieTree(new DwarfContext(DwarfContainers.FromWasm(debugInfo ?? module)));
        _variables = new VariableReader(_tree, new TypeReader(_tree));
        Formatter = new ValueFormatter(dump.MemoryOf(0, 0), FunctionPointerName);
        BuildFrames();
    }

    /// <summary>Reads a dump's bytes (<see cref="WasmFormatException"/> when damaged) and opens a session.</summary>
    public static CoreDumpSession Open(ReadOnlyMemory<byte> dump, WasmModule module, WasmModule? debugInfo = null, string? moduleName = null) =>
        new(CoreDumpReader.Read(dump), module, debugInfo, moduleName);

    public CoreDump Dump { get; }

    public WasmModule Module { get; }

    public string ModuleName { get; }

    public ValueFormatter Formatter { get; }

    /// <summary>The number of source frames (gdb's, inlined calls counted).</summary>
    public int FrameCount => _frames.Count;

    /// <summary>Reads and formats everything: frames with their variables, and the globals.</summary>
    public CoreDumpReport Report()
    {
        var frames = new List<SourceFrame>(_frames.Count);
        for (int i = 0; i < _frames.Count; i++)
            frames.Add(Frame(i));
        return new CoreDumpReport(ModuleName, Dump.Threads.Count > 0 ? Dump.Threads[0].Name : "", frames, Globals());
    }

    /// <summary>Frame <paramref name="index"/> (gdb's numbering) with its variables.</summary>
    public SourceFrame Frame(int index)
    {
        var context = _frames[index];
        var variables = new List<SourceVariable>();
        foreach (var (die, kind) in context.Variables(_tree))
            variables.Add(Describe(die, kind, context.State));
        return new SourceFrame(index, context.Function, context.Scope?.IsInlined ?? false, context.Position.File, context.Position.Line,
            context.Position.Column, context.Frame.FunctionIndex, context.Frame.CodeOffset, context.Pc, variables, context.Note);
    }

    /// <summary>Every named global and file-static variable that the linker kept, by unit.</summary>
    public List<SourceVariable> Globals()
    {
        var state = State(null, 0, null);
        var globals = new List<SourceVariable>();
        foreach (var (die, kind) in GlobalVariables())
        {
            if (!VariableReader.IsRemoved(die))
                globals.Add(Describe(die, kind, state));
        }

        return globals;
    }

    /// <summary>Evaluates a C expression (names, <c>.</c>, <c>-&gt;</c>, <c>*</c>, <c>&amp;</c>, <c>[i]</c>, parentheses, integers) in a frame.</summary>
    public SourceValue Evaluate(string expression, int frameIndex = 0)
    {
        FrameContext context;
        if (_frames.Count == 0 && frameIndex == 0)
            context = NoFrame(); // a dump without frames still has its globals
        else if (frameIndex < 0 || frameIndex >= _frames.Count)
            throw new ExpressionException($"there is no frame {frameIndex} (the backtrace has {_frames.Count})");
        else
            context = _frames[frameIndex];
        return new ExpressionEvaluator(name => Lookup(name, context), Dump.MemoryOf(context.Frame.InstanceIndex, 0), context.Unit).Evaluate(CExpressionParser.Parse(expression));
    }

    /// <summary>As <see cref="Evaluate"/>, formatted as gdb's <c>print</c> shows it.</summary>
    public string Print(string expression, int frameIndex = 0) => Formatter.FormatTopLevel(Evaluate(expression, frameIndex));

    /// <summary>A frame's state, knowing where the module keeps its thread-local storage.</summary>
    private FrameState State(CoreFrame? frame, ulong pc, Func<FrameState, Location>? frameBase)
    {
        _tlsBase ??= Module.Names is { } names && names.GlobalNames.FirstOrDefault(g => g.Value == "__tls_base") is { Value: not null } tls ? tls.Key : uint.MaxValue;
        return new FrameState(Dump, frame, pc, frameBase) { TlsBaseGlobal = _tlsBase == uint.MaxValue ? null : _tlsBase };
    }

    private FrameContext NoFrame() =>
        new(new CoreFrame(0, 0, 0, [], []), null, "", null, default, null, State(null, 0, null), "no frame");

    private SourceVariable Describe(Die die, VariableKind kind, FrameState state)
    {
        var value = _variables.Read(die, state);
        var name = _tree.NameOf(die) ?? "?";
        var type = TypeNames.Of(_variables.TypeOf(die));
        var variable = value.IsAvailable
            ? new SourceVariable(name, kind, type, Formatter.Format(value), null)
            : new SourceVariable(name, kind, type, null, value.Unavailable);
        return variable with { EntryOffset = die.Offset };
    }

    /// <summary>A name in a frame: its locals and parameters, innermost scope first, then its statics, then the globals of its unit, then any global.</summary>
    private SourceValue? Lookup(string name, FrameContext context)
    {
        foreach (var (die, _) in context.Variables(_tree))
        {
            if (_tree.NameOf(die) == name)
                return _variables.Read(die, context.State);
        }

        // A variable the linker kept wins over a removed one of the same name (a static in another unit).
        var globals = GlobalVariables().Where(g => _tree.NameOf(g.Die) == name).OrderBy(g => VariableReader.IsRemoved(g.Die)).ToList();
        var best = globals.Find(g => context.Unit is not null && g.Die.Unit == context.Unit).Die ?? globals.FirstOrDefault().Die;
        return best is null ? null : _variables.Read(best, State(context.Frame, context.Pc ?? 0, null));
    }

    private IEnumerable<(Die Die, VariableKind Kind)> GlobalVariables()
    {
        foreach (var root in _tree.Roots())
        {
            foreach (var child in root.Children)
            {
                // Unnamed variables are string literals.
                if (child.Tag != DwTag.DW_TAG_variable || !child.Has(DwAt.DW_AT_location) || _tree.NameOf(child) is null)
                    continue;
                var external = child.Flag(DwAt.DW_AT_external)
                    || (_tree.TryFollow(child, DwAt.DW_AT_specification, out var declaration) && declaration.Flag(DwAt.DW_AT_external));
                yield return (child, external ? VariableKind.Global : VariableKind.Static);
            }
        }
    }

    private void BuildFrames()
    {
        if (Dump.Threads.Count == 0)
            return;
        foreach (var frame in Dump.Threads[0].Frames)
        {
            if (!Module.TryGetBody(frame.FunctionIndex, out var body))
            {
                _frames.Add(new FrameContext(frame, null, WasmName(frame.FunctionIndex), null, default, null, State(frame, 0, null),
                    $"function {frame.FunctionIndex} has no body in the module (imported, or not in it)"));
                continue;
            }

            if (frame.CodeOffset >= (uint)body.Size)
            {
                _frames.Add(new FrameContext(frame, null, WasmName(frame.FunctionIndex), null, default, null, State(frame, 0, null),
                    $"code offset {frame.CodeOffset} is outside the function ({body.Size} bytes)"));
                continue;
            }

            ulong pc = body.CodeOffset + frame.CodeOffset;
            var chain = ScopeFinder.Chain(_tree, pc);
            var scopes = ScopeFinder.Frames(chain);
            if (scopes.Count == 0)
            {
                _frames.Add(new FrameContext(frame, null, WasmName(frame.FunctionIndex), pc, default, null, State(frame, pc, null),
                    "no debug information for this code"));
                continue;
            }

            var subprogram = chain[0];
            var state = State(frame, pc, s => VariableReader.FrameBase(subprogram, s));
            var lines = LinesOf(subprogram.Unit);
            for (int k = 0; k < scopes.Count; k++)
            {
                SourcePosition position = default;
                if (k == 0)
                    lines?.TryFind(pc, out position);
                else
                    position = CallSite(scopes[k - 1].Function, lines);
                var name = _tree.NameOf(scopes[k].Function) ?? WasmName(frame.FunctionIndex);
                _frames.Add(new FrameContext(frame, scopes[k], name, pc, position, subprogram.Unit, state, null));
            }
        }
    }

    private static SourcePosition CallSite(Die inlined, LineTable? lines)
    {
        var file = inlined.Constant(DwAt.DW_AT_call_file) is { } f ? lines?.FileName(f) : null;
        return new SourcePosition(file, inlined.Constant(DwAt.DW_AT_call_line) ?? 0, inlined.Constant(DwAt.DW_AT_call_column) ?? 0);
    }

    private LineTable? LinesOf(Unit unit)
    {
        if (!_lines.TryGetValue(unit, out var table))
            _lines[unit] = table = LineTable.For(unit);
        return table;
    }

    private string WasmName(uint functionIndex) => Module.FunctionName(functionIndex) ?? $"func[{functionIndex}]";

    /// <summary>A function pointer is an index into table 0: the function its element segments put there, by name.</summary>
    private string? FunctionPointerName(ulong slot)
    {
        if (_tableSlots is null)
        {
            _tableSlots = [];
            foreach (var segment in Module.Elements)
            {
                if (segment.Mode != SegmentMode.Active || segment.TableIndex != 0 || segment.Offset is null || !segment.Offset.TryGetI32Constant(out var start))
                    continue;
                for (int i = 0; i < segment.Count; i++)
                {
                    uint function = 0;
                    if (segment.FunctionIndices is { } indices)
                        function = indices[i];
                    else if (!segment.Expressions![i].TryGetFunctionReference(out function))
                        continue;
                    _tableSlots[(ulong)(uint)(start + i)] = function;
                }
            }
        }

        if (!_tableSlots.TryGetValue(slot, out var index))
            return null;
        if (Module.TryGetBody(index, out var body) && ScopeFinder.Chain(_tree, body.CodeOffset) is [var subprogram, ..] && _tree.NameOf(subprogram) is { } name)
            return name;
        return Module.FunctionName(index);
    }
}
