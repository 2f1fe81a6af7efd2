using System.Buffers.Binary;
using Dwarfsmith.Aot.NativeDwarf;
using Dwarfsmith.Wasm;
using ValueType = Dwarfsmith.Wasm.ValueType;

namespace Dwarfsmith.Aot;

/// <summary>
/// Where each wasm local of each translated function lives in the native code, for the core dump
/// the runtime writes on a trap (Runtime/wasm_coredump_frames.c reads it, and documents the format). It is
/// built from the native DWARF the C compiler wrote for the generated C (<see cref="GeneratedCode"/>:
/// the C variable <c>l&lt;i&gt;</c> of each local, one place or a location list), reduced to what a
/// small evaluator in the runtime can compute from the registers and memory of an unwound frame,
/// and attached to the executable as the non-allocated section <see cref="SectionName"/>, like the
/// code offset table: nothing is loaded until a trap.
/// </summary>
internal static class NativeFrameTable
{
    public const string SectionName = ".dwarfsmith.frames";

    /// <summary>
    /// Locals described per function at most; a function that declares more (the binary format
    /// allows billions) has the rest written as missing values, so the table stays bounded.
    /// </summary>
    public const int MaxDescribedLocals = 1 << 16;

    private const int HeaderSize = 40;
    private const int FunctionSize = 44;
    private const int VariableSize = 16;
    private const int EntrySize = 16;
    private const int GlobalSize = 16;
    private const int StackPointSize = 12;

    private static readonly byte[] Magic = "DWSMFR2\0"u8.ToArray();

    /// <summary>A local's or operand-stack slot's record: its type, its height (slots only) and its location entries.</summary>
    private readonly record struct Variable(ValueType Type, int Height, int FirstEntry, int EntryCount);

    /// <summary>The section's bytes for <paramref name="module"/> translated as <paramref name="translation"/>.</summary>
    public static byte[] Build(WasmModule module, CTranslation translation, GeneratedCode generated)
    {
        var functionIndexByName = new Dictionary<string, uint>(StringComparer.Ordinal);
        for (int i = 0; i < translation.FunctionNames.Count; i++)
        {
            if (translation.FunctionNames[i] is { } name)
                functionIndexByName[name] = (uint)i;
        }

        var functions = new List<(NativeFunction Native, FunctionBody Body, ValueType[] Locals)>();
        foreach (var native in generated.Functions)
        {
            if (functionIndexByName.TryGetValue(native.Name, out var index) && module.TryGetBody(index, out var body)
                && module.TryGetFunctionType(index, out var type))
                functions.Add((native, body, LocalTypes(type, body)));
        }

        var stackPoints = OperandStackShapes.Read(module);
        var firstPc = functions.Count > 0 ? functions.Min(f => f.Native.Ranges.Min(r => r.Low)) : 0;
        uint Relative(ulong pc) => pc - firstPc <= uint.MaxValue
            ? (uint)(pc - firstPc)
            : throw new AotException("the executable's code spans more than 4 GiB: no frame table");

        // First the records, with entries and blob offsets relative to their own lists; then the layout.
        var entries = new List<(uint Begin, uint End, int ExpressionAt, int ExpressionLength)>();
        var blob = new List<byte>();
        var shapes = new Dictionary<string, int>(StringComparer.Ordinal);
        var locals = new List<Variable>();
        var slots = new List<Variable>();
        var points = new List<(uint CodeOffset, int ShapeAt, int HeightAtCall)>();
        var perFunction = new List<(int Locals, int Slots, int SlotCount, int Points, int PointCount)>();

        Variable Describe(NativeFunction native, string cName, ValueType type, int height)
        {
            int first = entries.Count;
            if (native.Variables.TryGetValue(cName, out var location))
            {
                if (location.Whole is { } whole)
                {
                    foreach (var (low, high) in native.Ranges)
                        AddEntry(Relative(low), Relative(high), whole.Expression);
                }

                foreach (var entry in location.Entries)
                    AddEntry(Relative(entry.Begin), Relative(entry.End), entry.Place.Expression);
            }

            return new Variable(type, height, first, entries.Count - first);
        }

        void AddEntry(uint begin, uint end, byte[] expression)
        {
            entries.Add((begin, end, blob.Count, expression.Length));
            blob.AddRange(expression);
        }

        foreach (var (native, body, localTypes) in functions)
        {
            int firstLocal = locals.Count;
            for (int i = 0; i < localTypes.Length; i++)
                locals.Add(Describe(native, CNames.Local((uint)i), localTypes[i], 0));

            int firstSlot = slots.Count, firstPoint = points.Count;
            var slotsSeen = new SortedSet<(int Height, byte Type)>();
            foreach (var point in stackPoints.GetValueOrDefault(body.FunctionIndex) ?? [])
            {
                var key = Convert.ToHexString([.. point.Types.Select(t => (byte)t)]);
                if (!shapes.TryGetValue(key, out var shapeAt))
                {
                    shapeAt = blob.Count;
                    shapes[key] = shapeAt;
                    blob.AddRange(BitConverter.GetBytes((uint)point.Types.Length));
                    blob.AddRange(point.Types.Select(t => (byte)t));
                }

                points.Add((point.CodeOffset, shapeAt, point.HeightAtCall));
                for (int h = 0; h < point.Types.Length; h++)
                    slotsSeen.Add((h, (byte)point.Types[h]));
            }

            foreach (var (height, type) in slotsSeen)
            {
                if (type is (byte)ValueType.I32 or (byte)ValueType.I64 or (byte)ValueType.F32 or (byte)ValueType.F64)
                    slots.Add(Describe(native, CNames.StackSlot(height, (ValueType)type), (ValueType)type, height));
            }

            perFunction.Add((firstLocal, firstSlot, slots.Count - firstSlot, firstPoint, points.Count - firstPoint));
        }

        // One record per part of a function's code (a function the C compiler split has several, which
        // share its variables), sorted by address for the runtime's search.
        var parts = functions.SelectMany((f, i) => f.Native.Ranges.Select(r => (r.Low, r.High, Function: i))).OrderBy(p => p.Low).ToList();
        int globalCount = module.GlobalCount;
        int functionsAt = HeaderSize;
        int globalsAt = functionsAt + (parts.Count * FunctionSize);
        int localsAt = globalsAt + (globalCount * GlobalSize);
        int slotsAt = localsAt + (locals.Count * VariableSize);
        int pointsAt = slotsAt + (slots.Count * VariableSize);
        int entriesAt = pointsAt + (points.Count * StackPointSize);
        int blobAt = entriesAt + (entries.Count * EntrySize);
        var bytes = new byte[blobAt + blob.Count];

        Magic.CopyTo(bytes, 0);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(8), firstPc);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(16), (uint)parts.Count);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(20), (uint)globalCount);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(24), (uint)functionsAt);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(28), (uint)globalsAt);
        for (int r = 0; r < parts.Count; r++)
        {
            var (low, high, f) = parts[r];
            var (_, body, localTypes) = functions[f];
            var layout = perFunction[f];
            var record = bytes.AsSpan(functionsAt + (r * FunctionSize), FunctionSize);
            BinaryPrimitives.WriteUInt32LittleEndian(record, Relative(low));
            BinaryPrimitives.WriteUInt32LittleEndian(record[4..], Relative(high));
            BinaryPrimitives.WriteUInt32LittleEndian(record[8..], body.FunctionIndex);
            BinaryPrimitives.WriteUInt32LittleEndian(record[12..], body.CodeOffset);
            BinaryPrimitives.WriteUInt32LittleEndian(record[16..], LocalCount(module, body));
            BinaryPrimitives.WriteUInt32LittleEndian(record[20..], (uint)localTypes.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(record[24..], (uint)(localsAt + (layout.Locals * VariableSize)));
            BinaryPrimitives.WriteUInt32LittleEndian(record[28..], (uint)(slotsAt + (layout.Slots * VariableSize)));
            BinaryPrimitives.WriteUInt32LittleEndian(record[32..], (uint)layout.SlotCount);
            BinaryPrimitives.WriteUInt32LittleEndian(record[36..], (uint)(pointsAt + (layout.Points * StackPointSize)));
            BinaryPrimitives.WriteUInt32LittleEndian(record[40..], (uint)layout.PointCount);
        }

        WriteGlobals(bytes.AsSpan(globalsAt, globalCount * GlobalSize), module, generated);
        void WriteVariables(List<Variable> variables, int at)
        {
            for (int i = 0; i < variables.Count; i++)
            {
                var record = bytes.AsSpan(at + (i * VariableSize), VariableSize);
                record[0] = (byte)variables[i].Type;
                BinaryPrimitives.WriteUInt32LittleEndian(record[4..], (uint)variables[i].Height);
                BinaryPrimitives.WriteUInt32LittleEndian(record[8..], (uint)variables[i].EntryCount);
                BinaryPrimitives.WriteUInt32LittleEndian(record[12..], (uint)(entriesAt + (variables[i].FirstEntry * EntrySize)));
            }
        }

        WriteVariables(locals, localsAt);
        WriteVariables(slots, slotsAt);
        for (int i = 0; i < points.Count; i++)
        {
            var record = bytes.AsSpan(pointsAt + (i * StackPointSize), StackPointSize);
            BinaryPrimitives.WriteUInt32LittleEndian(record, points[i].CodeOffset);
            BinaryPrimitives.WriteUInt32LittleEndian(record[4..], (uint)(blobAt + points[i].ShapeAt));
            BinaryPrimitives.WriteUInt32LittleEndian(record[8..], (uint)points[i].HeightAtCall);
        }

        for (int i = 0; i < entries.Count; i++)
        {
            var record = bytes.AsSpan(entriesAt + (i * EntrySize), EntrySize);
            BinaryPrimitives.WriteUInt32LittleEndian(record, entries[i].Begin);
            BinaryPrimitives.WriteUInt32LittleEndian(record[4..], entries[i].End);
            BinaryPrimitives.WriteUInt32LittleEndian(record[8..], (uint)(blobAt + entries[i].ExpressionAt));
            BinaryPrimitives.WriteUInt32LittleEndian(record[12..], (uint)entries[i].ExpressionLength);
        }

        blob.CopyTo(bytes, blobAt);
        return bytes;
    }

    /// <summary>The parameters' types, then the declared locals' (at most <see cref="MaxDescribedLocals"/>).</summary>
    private static ValueType[] LocalTypes(FunctionType type, FunctionBody body)
    {
        var types = new List<ValueType>(type.Parameters);
        foreach (var declaration in body.Locals)
        {
            for (uint i = 0; i < declaration.Count; i++)
            {
                if (types.Count >= MaxDescribedLocals)
                    return [.. types];
                types.Add(declaration.Type);
            }
        }

        return [.. types];
    }

    /// <summary>All the function's locals, parameters included (bounded by the validator to 2^32 - 1).</summary>
    private static uint LocalCount(WasmModule module, FunctionBody body) =>
        (uint)Math.Min(uint.MaxValue, (ulong)(module.TryGetFunctionType(body.FunctionIndex, out var type) ? type.Parameters.Length : 0) + body.LocalCount);

    /// <summary>Each global's type, mutability and the link-time address of its C variable (0: none known).</summary>
    private static void WriteGlobals(Span<byte> bytes, WasmModule module, GeneratedCode generated)
    {
        var imported = module.Imports.Where(import => import.Kind == ExternalKind.Global).Select(import => import.Global).ToList();
        for (int i = 0; i < module.GlobalCount; i++)
        {
            var record = bytes[(i * GlobalSize)..];
            var type = i < imported.Count ? imported[i] : module.Globals[i - imported.Count].Type;
            record[0] = (byte)type.ValueType;
            record[1] = type.Mutable ? (byte)1 : (byte)0;
            BinaryPrimitives.WriteUInt64LittleEndian(record[8..], generated.GlobalAddresses.TryGetValue((uint)i, out var address) ? address : 0);
        }
    }
}
