using System.Buffers.Binary;
using Dwarfsmith.Aot.NativeDwarf;
using Dwarfsmith.Wasm;
using ValueType = Dwarfsmith.Wasm.ValueType;

namespace Dwarfsmith.Aot;

/// <summary>
/// Where each wasm local of each translated function lives in the native code, for the core dump
/// the runtime writes on a trap (Runtime/wasm_coredump.c reads it, and documents the format). It is
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
    private const int FunctionSize = 28;
    private const int LocalSize = 12;
    private const int EntrySize = 16;
    private const int GlobalSize = 16;

    private static readonly byte[] Magic = "DWSMFR1\0"u8.ToArray();

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

        var firstPc = functions.Count > 0 ? functions[0].Native.Low : 0;
        uint Relative(ulong pc) => pc - firstPc <= uint.MaxValue
            ? (uint)(pc - firstPc)
            : throw new AotException("the executable's code spans more than 4 GiB: no frame table");

        var globalCount = module.GlobalCount;
        int functionsAt = HeaderSize;
        int globalsAt = functionsAt + (functions.Count * FunctionSize);
        int localsAt = globalsAt + (globalCount * GlobalSize);
        int localRecords = functions.Sum(f => Math.Min(f.Locals.Length, MaxDescribedLocals));
        int entriesAt = localsAt + (localRecords * LocalSize);

        var entries = new List<(uint Begin, uint End, byte[] Expression)>();
        var localBytes = new byte[localRecords * LocalSize];
        var functionBytes = new byte[functions.Count * FunctionSize];
        int localIndex = 0;
        for (int f = 0; f < functions.Count; f++)
        {
            var (native, body, locals) = functions[f];
            int described = Math.Min(locals.Length, MaxDescribedLocals);
            var record = functionBytes.AsSpan(f * FunctionSize);
            BinaryPrimitives.WriteUInt32LittleEndian(record, Relative(native.Low));
            BinaryPrimitives.WriteUInt32LittleEndian(record[4..], Relative(native.High));
            BinaryPrimitives.WriteUInt32LittleEndian(record[8..], body.FunctionIndex);
            BinaryPrimitives.WriteUInt32LittleEndian(record[12..], body.CodeOffset);
            BinaryPrimitives.WriteUInt32LittleEndian(record[16..], LocalCount(module, body));
            BinaryPrimitives.WriteUInt32LittleEndian(record[20..], (uint)described);
            BinaryPrimitives.WriteUInt32LittleEndian(record[24..], (uint)(localsAt + (localIndex * LocalSize)));
            for (int i = 0; i < described; i++, localIndex++)
            {
                var local = localBytes.AsSpan(localIndex * LocalSize);
                local[0] = (byte)locals[i];
                int firstEntry = entries.Count;
                if (native.Variables.TryGetValue(CNames.Local((uint)i), out var location))
                {
                    if (location.Whole is { } whole)
                        entries.Add((Relative(native.Low), Relative(native.High), whole.Expression));
                    foreach (var entry in location.Entries)
                        entries.Add((Relative(entry.Begin), Relative(entry.End), entry.Place.Expression));
                }

                BinaryPrimitives.WriteUInt32LittleEndian(local[4..], (uint)(entries.Count - firstEntry));
                BinaryPrimitives.WriteUInt32LittleEndian(local[8..], (uint)(entriesAt + (firstEntry * EntrySize)));
            }
        }

        int expressionsAt = entriesAt + (entries.Count * EntrySize);
        int total = expressionsAt + entries.Sum(e => e.Expression.Length);
        var bytes = new byte[total];
        Magic.CopyTo(bytes, 0);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(8), firstPc);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(16), (uint)functions.Count);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(20), (uint)globalCount);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(24), (uint)functionsAt);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(28), (uint)globalsAt);
        functionBytes.CopyTo(bytes, functionsAt);
        WriteGlobals(bytes.AsSpan(globalsAt, globalCount * GlobalSize), module, generated);
        localBytes.CopyTo(bytes, localsAt);
        int expressionAt = expressionsAt;
        for (int i = 0; i < entries.Count; i++)
        {
            var entry = bytes.AsSpan(entriesAt + (i * EntrySize));
            BinaryPrimitives.WriteUInt32LittleEndian(entry, entries[i].Begin);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[4..], entries[i].End);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[8..], (uint)expressionAt);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[12..], (uint)entries[i].Expression.Length);
            entries[i].Expression.CopyTo(bytes, expressionAt);
            expressionAt += entries[i].Expression.Length;
        }

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
        for (int i = 0; i < module.GlobalCount; i++)
        {
            var record = bytes[(i * GlobalSize)..];
            var type = i < module.ImportedGlobalCount
                ? module.Imports.Where(import => import.Kind == ExternalKind.Global).ElementAt(i).Global
                : module.Globals[i - module.ImportedGlobalCount].Type;
            record[0] = (byte)type.ValueType;
            record[1] = type.Mutable ? (byte)1 : (byte)0;
            BinaryPrimitives.WriteUInt64LittleEndian(record[8..], generated.GlobalAddresses.TryGetValue((uint)i, out var address) ? address : 0);
        }
    }
}
