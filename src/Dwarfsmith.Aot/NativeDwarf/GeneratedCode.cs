using System.Globalization;
using Dwarfsmith.Dwarf;
using Dwarfsmith.Dwarf.Expressions;
using Dwarfsmith.Dwarf.Reading;

namespace Dwarfsmith.Aot.NativeDwarf;

/// <summary>
/// Where a C variable of the translated code lives: one place for the whole function
/// (<see cref="Whole"/>, typically at -O0), or a location list of pc ranges (<see cref="Entries"/>,
/// typically at -O2; where no entry covers a pc, the variable is nowhere there). Places the
/// translation cannot use (see <see cref="NativePlace.Read"/>) are left out: no <see cref="Whole"/>,
/// or a gap in the entries.
/// </summary>
/// <param name="ByteSize">The variable's size (4 for an i32 local, 8 for an i64 or a pointer).</param>
public sealed record NativeLocation(NativePlace? Whole, IReadOnlyList<NativeLocationEntry> Entries, int ByteSize)
{
    /// <summary>True when the place depends on the pc (a location list).</summary>
    public bool IsList => Whole is null && Entries.Count > 0;
}

/// <summary>One entry of a <see cref="NativeLocation"/>'s list: [Begin, End) and the place there.</summary>
public readonly record struct NativeLocationEntry(ulong Begin, ulong End, NativePlace Place);

/// <summary>A translated wasm function as the native DWARF has it: its code and its variables by C name.</summary>
public sealed class NativeFunction
{
    internal NativeFunction(string name, ulong low, ulong high, long entryOffset, IReadOnlyList<(ulong Low, ulong High)>? ranges = null)
    {
        Name = name;
        Low = low;
        High = high;
        EntryOffset = entryOffset;
        Ranges = ranges ?? [(low, high)];
    }

    /// <summary>The C name (<c>f_&lt;name&gt;</c>, see <see cref="CNames"/>).</summary>
    public string Name { get; }

    public ulong Low { get; }

    public ulong High { get; }

    /// <summary>
    /// All of the function's code: [<see cref="Low"/>, <see cref="High"/>) and, when the C compiler split
    /// it (gcc's <c>.cold</c> parts: DW_AT_ranges), the other parts; <see cref="Low"/> starts the entry's.
    /// </summary>
    public IReadOnlyList<(ulong Low, ulong High)> Ranges { get; }

    /// <summary>The subprogram's offset in the executable's .debug_info.</summary>
    public long EntryOffset { get; }

    /// <summary><c>l&lt;i&gt;</c> and <c>s&lt;h&gt;_&lt;t&gt;</c> (and any other variable) by name.</summary>
    public Dictionary<string, NativeLocation> Variables { get; } = new(StringComparer.Ordinal);

    public override string ToString() => $"{Name} [0x{Low:x}, 0x{High:x})";
}

/// <summary>
/// What the translated C's native DWARF says the wasm machine's state is: each translated function
/// with where its locals live, the globals' and the linear memory base's addresses, and which units
/// are the generated C's (to be left out of the debug information users see). Read once from the
/// executable the C compiler linked.
/// </summary>
public sealed class GeneratedCode
{
    private readonly NativeFunction[] _functions;

    private GeneratedCode(NativeFunction[] functions, Dictionary<uint, ulong> globals, ulong? memoryBase, HashSet<long> generatedUnits)
    {
        _functions = functions;
        GlobalAddresses = globals;
        MemoryBaseAddress = memoryBase;
        GeneratedUnits = generatedUnits;
    }

    /// <summary>The translated functions, by ascending address.</summary>
    public IReadOnlyList<NativeFunction> Functions => _functions;

    /// <summary>Link-time addresses of <c>wasm_global_&lt;i&gt;</c>, by wasm global index.</summary>
    public IReadOnlyDictionary<uint, ulong> GlobalAddresses { get; }

    /// <summary>The link-time address of <c>wasm_mem0_base</c> (the pointer to linear memory 0), when the program has one.</summary>
    public ulong? MemoryBaseAddress { get; }

    /// <summary>Offsets in .debug_info of the units compiled from the module's generated C files.</summary>
    public IReadOnlySet<long> GeneratedUnits { get; }

    /// <summary>
    /// Reads <paramref name="native"/>: units whose name ends with one of
    /// <paramref name="generatedFileNames"/> are the module's C; their subprograms named <c>f_…</c>
    /// are translated functions. Globals and the memory base are found in any unit.
    /// </summary>
    public static GeneratedCode Read(DwarfContext native, IReadOnlyCollection<string> generatedFileNames)
    {
        ArgumentNullException.ThrowIfNull(native);
        ArgumentNullException.ThrowIfNull(generatedFileNames);
        var functions = new List<NativeFunction>();
        var globals = new Dictionary<uint, ulong>();
        ulong? memoryBase = null;
        var generated = new HashSet<long>();
        foreach (var unit in native.Units)
        {
            bool isGenerated = unit.Name is { } unitName && generatedFileNames.Any(f => unitName == f || unitName.EndsWith("/" + f, StringComparison.Ordinal));
            if (isGenerated)
                generated.Add(unit.Offset);
            var cursor = unit.Entries();
            NativeFunction? function = null;
            byte[]? frameBase = null;
            int functionDepth = -1;
            while (cursor.MoveNext())
            {
                if (cursor.IsNull)
                    continue;
                if (function is not null && cursor.Depth <= functionDepth)
                    function = null;
                switch (cursor.Tag)
                {
                    case DwTag.DW_TAG_subprogram when isGenerated && cursor.Depth == 1:
                        if (Name(cursor) is { } name && name.StartsWith("f_", StringComparison.Ordinal) && CodeOf(cursor) is [var entry, ..] parts)
                        {
                            function = new NativeFunction(name, entry.Low, entry.High, cursor.Offset, parts);
                            functionDepth = cursor.Depth;
                            frameBase = cursor.TryGetAttribute(DwAt.DW_AT_frame_base, out var fb) && fb.IsBlock ? fb.Bytes.ToArray() : null;
                            functions.Add(function);
                        }

                        break;
                    case DwTag.DW_TAG_variable or DwTag.DW_TAG_formal_parameter when function is not null:
                        if (Name(cursor) is { } local && ReadLocation(cursor, frameBase) is { } location)
                            function.Variables[local] = location;
                        break;
                    case DwTag.DW_TAG_variable when cursor.Depth == 1:
                        if (Name(cursor) is { } variable && StaticAddress(cursor) is { } address)
                        {
                            if (variable == CNames.MemoryBase)
                                memoryBase = address;
                            else if (variable.StartsWith("wasm_global_", StringComparison.Ordinal)
                                && uint.TryParse(variable.AsSpan("wasm_global_".Length), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                                globals[index] = address;
                        }

                        break;
                }
            }
        }

        functions.Sort((x, y) => x.Low.CompareTo(y.Low));
        return new GeneratedCode([.. functions], globals, memoryBase, generated);
    }

    /// <summary>The translated function whose code holds <paramref name="pc"/>.</summary>
    public bool TryFindFunction(ulong pc, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out NativeFunction? function)
    {
        int low = 0, high = _functions.Length - 1;
        while (low <= high)
        {
            int middle = (low + high) >>> 1;
            if (_functions[middle].High <= pc)
                low = middle + 1;
            else if (_functions[middle].Low > pc)
                high = middle - 1;
            else
            {
                function = _functions[middle];
                return true;
            }
        }

        function = null;
        return false;
    }

    /// <summary>A subprogram's code: its low/high pc, or its DW_AT_ranges with the entry's first (tombstones left out).</summary>
    private static List<(ulong Low, ulong High)> CodeOf(EntryCursor cursor)
    {
        if (cursor.TryGetPcRange(out var low, out var high))
            return [(low, high)];
        var parts = new List<(ulong Low, ulong High)>();
        if (!cursor.TryGetAttribute(DwAt.DW_AT_ranges, out var ranges) || !cursor.Unit.IsRangeList(ranges))
            return parts;
        var list = cursor.Unit.ReadRangeList(ranges);
        while (list.MoveNext())
        {
            var entry = list.Current;
            if (entry.HasRange && !entry.IsTombstone && entry.End > entry.Begin)
                parts.Add((entry.Begin, entry.End));
        }

        return parts;
    }

    private static string? Name(EntryCursor cursor) =>
        cursor.TryGetAttribute(DwAt.DW_AT_name, out var name) ? cursor.Unit.GetString(name) : null;

    /// <summary>A variable's fixed address (<c>DW_AT_location: DW_OP_addr A</c>), if that is its location.</summary>
    private static ulong? StaticAddress(EntryCursor cursor)
    {
        if (!cursor.TryGetAttribute(DwAt.DW_AT_location, out var location) || !location.IsBlock)
            return null;
        var operations = DwarfExpression.DecodeAll(location.Memory, cursor.Unit.Encoding, cursor.Unit.Section.Name);
        if (operations.Count != 1)
            return null;
        return operations[0].Op switch
        {
            DwOp.DW_OP_addr => operations[0].Operand1,
            DwOp.DW_OP_addrx or DwOp.DW_OP_GNU_addr_index => cursor.Unit.AddressAt(operations[0].Operand1),
            _ => null,
        };
    }

    private static NativeLocation? ReadLocation(EntryCursor cursor, byte[]? frameBase)
    {
        if (!cursor.TryGetAttribute(DwAt.DW_AT_location, out var location))
            return null;
        var unit = cursor.Unit;
        int size = ByteSize(cursor);
        if (location.IsBlock)
            return NativePlace.Read(location.Memory, frameBase, unit) is { } whole ? new NativeLocation(whole, [], size) : null;

        if (!unit.IsLocationList(location))
            return null;
        var entries = new List<NativeLocationEntry>();
        foreach (var entry in unit.ReadLocationList(location).ReadAll())
        {
            if (entry.HasRange && !entry.IsTombstone && entry.End > entry.Begin && NativePlace.Read(entry.Expression, frameBase, unit) is { } place)
                entries.Add(new NativeLocationEntry(entry.Begin, entry.End, place));
        }

        return new NativeLocation(null, entries, size);
    }

    /// <summary>The size of the entry's type, through typedefs and qualifiers (8 when unknown).</summary>
    private static int ByteSize(EntryCursor cursor)
    {
        var unit = cursor.Unit;
        if (!cursor.TryGetAttribute(DwAt.DW_AT_type, out var type) || !unit.TryResolveReference(type, out long offset))
            return 8;
        for (int depth = 0; depth < 16 && unit.ContainsOffset(offset); depth++)
        {
            var entry = unit.EntriesAt(offset);
            if (!entry.MoveNext())
                break;
            if (entry.TryGetAttribute(DwAt.DW_AT_byte_size, out var size) && size.IsConstant)
                return (int)size.Value;
            if (entry.Tag == DwTag.DW_TAG_pointer_type)
                return unit.AddressSize;
            if (!entry.TryGetAttribute(DwAt.DW_AT_type, out type) || !unit.TryResolveReference(type, out offset))
                break;
        }

        return 8;
    }

    /// <summary>
    /// The expression with each <c>DW_OP_fbreg N</c> replaced by the address it means: with a frame
    /// base of <c>DW_OP_regX</c>, <c>DW_OP_bregX N</c>; otherwise the frame base's own expression
    /// followed by <c>DW_OP_consts N; DW_OP_plus</c>. Without fbreg, the bytes unchanged.
    /// </summary>
    internal static byte[] WithoutFrameBase(ReadOnlyMemory<byte> expression, byte[]? frameBase, Unit unit)
    {
        var operations = DwarfExpression.DecodeAll(expression, unit.Encoding, unit.Section.Name);
        if (!operations.Exists(o => o.Op == DwOp.DW_OP_fbreg))
            return expression.ToArray();
        if (frameBase is null)
            throw new AotException("a native variable is located relative to a frame base its function does not have");
        var baseOperations = DwarfExpression.DecodeAll(frameBase, unit.Encoding, unit.Section.Name);
        var result = new List<DwarfOperation>();
        foreach (var operation in operations)
        {
            if (operation.Op != DwOp.DW_OP_fbreg)
            {
                result.Add(operation);
            }
            else if (baseOperations is [{ Op: >= DwOp.DW_OP_reg0 and <= DwOp.DW_OP_reg31 } register])
            {
                result.Add(new DwarfOperation(DwOp.DW_OP_breg0 + (register.Op - DwOp.DW_OP_reg0), 0, 0, operation.Operand1, 0, default));
            }
            else if (baseOperations is [{ Op: DwOp.DW_OP_regx } registerX])
            {
                result.Add(new DwarfOperation(DwOp.DW_OP_bregx, 0, 0, registerX.Operand1, operation.Operand1, default));
            }
            else
            {
                result.AddRange(baseOperations);
                result.Add(new DwarfOperation(DwOp.DW_OP_consts, 0, 0, operation.Operand1, 0, default));
                result.Add(new DwarfOperation(DwOp.DW_OP_plus, 0, 0, 0, 0, default));
            }
        }

        return DwarfExpression.Encode(result, unit.Encoding);
    }
}
