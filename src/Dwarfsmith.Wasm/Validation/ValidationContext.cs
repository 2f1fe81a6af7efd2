using Dwarfsmith.Wasm.Instructions;

namespace Dwarfsmith.Wasm.Validation;

/// <summary>
/// What function bodies and constant expressions are validated against: the spec's context C with
/// every index space in import-first order, and C.refs (functions a <c>ref.func</c> may name).
/// The arrays may be filled by hand (tests, synthesized code) or from a module with <see cref="FromModule"/>.
/// </summary>
public sealed class ValidationContext
{
    public WasmFeatures Features { get; set; } = WasmFeatures.All;

    public IReadOnlyList<FunctionType> Types { get; set; } = [];

    /// <summary>Type index of every function, imported ones first.</summary>
    public uint[] FunctionTypeIndices { get; set; } = [];

    public TableType[] Tables { get; set; } = [];

    public MemoryType[] Memories { get; set; } = [];

    public GlobalType[] Globals { get; set; } = [];

    /// <summary>Number of imported globals: in WebAssembly 2.0 only these are visible in constant expressions.</summary>
    public int ImportedGlobalCount { get; set; }

    /// <summary>Reference type of every element segment.</summary>
    public ValueType[] ElementTypes { get; set; } = [];

    /// <summary>The data count section's value; null when the module has none (then memory.init and data.drop are malformed).</summary>
    public uint? DataCount { get; set; }

    /// <summary>Number of data segments in the module (its data section).</summary>
    public int DataSegmentCount { get; set; }

    /// <summary>Type index of every tag, imported ones first.</summary>
    public uint[] TagTypeIndices { get; set; } = [];

    /// <summary>C.refs: functions named outside function bodies (exports, element segments, global initializers).</summary>
    public HashSet<uint> DeclaredFunctionReferences { get; set; } = [];

    public bool Has(WasmFeatures feature) => (Features & feature) == feature;

    /// <summary>The type of function <paramref name="functionIndex"/>, or null when the index or its type index is unknown.</summary>
    public FunctionType? FunctionTypeOf(uint functionIndex)
    {
        if (functionIndex >= (uint)FunctionTypeIndices.Length)
            return null;
        var typeIndex = FunctionTypeIndices[functionIndex];
        return typeIndex < (uint)Types.Count ? Types[(int)typeIndex] : null;
    }

    /// <summary>The context of a decoded module (C.refs collected from its exports, elements and globals).</summary>
    public static ValidationContext FromModule(WasmModule module)
    {
        var functions = new List<uint>();
        var tables = new List<TableType>();
        var memories = new List<MemoryType>();
        var globals = new List<GlobalType>();
        var tags = new List<uint>();
        foreach (var import in module.Imports)
        {
            switch (import.Kind)
            {
                case ExternalKind.Function:
                    functions.Add(import.TypeIndex);
                    break;
                case ExternalKind.Table:
                    tables.Add(import.Table);
                    break;
                case ExternalKind.Memory:
                    memories.Add(import.Memory);
                    break;
                case ExternalKind.Global:
                    globals.Add(import.Global);
                    break;
                case ExternalKind.Tag:
                    tags.Add(import.Tag.TypeIndex);
                    break;
            }
        }
        var importedGlobals = globals.Count;
        functions.AddRange(module.FunctionTypeIndices);
        tables.AddRange(module.Tables);
        memories.AddRange(module.Memories);
        globals.AddRange(module.Globals.Select(g => g.Type));
        tags.AddRange(module.Tags.Select(t => t.TypeIndex));

        var references = new HashSet<uint>();
        foreach (var export in module.Exports)
        {
            if (export.Kind == ExternalKind.Function)
                references.Add(export.Index);
        }
        foreach (var global in module.Globals)
            AddReferences(global.Init, references);
        foreach (var element in module.Elements)
        {
            if (element.FunctionIndices is { } indices)
                references.UnionWith(indices);
            else if (element.Expressions is { } expressions)
            {
                foreach (var expression in expressions)
                    AddReferences(expression, references);
            }
        }

        return new ValidationContext
        {
            Features = module.Features,
            Types = module.Types,
            FunctionTypeIndices = [.. functions],
            Tables = [.. tables],
            Memories = [.. memories],
            Globals = [.. globals],
            ImportedGlobalCount = importedGlobals,
            ElementTypes = [.. module.Elements.Select(e => e.ElementType)],
            DataCount = module.DataCount,
            DataSegmentCount = module.Data.Count,
            TagTypeIndices = [.. tags],
            DeclaredFunctionReferences = references,
        };
    }

    private static void AddReferences(ConstantExpression expression, HashSet<uint> references)
    {
        var reader = new InstructionReader(expression.Bytes.Span, expression.FileOffset, "constant expression");
        while (reader.TryRead(out var instruction))
        {
            if (instruction.Opcode == Opcode.RefFunc)
                references.Add(instruction.FunctionIndex);
        }
    }
}
