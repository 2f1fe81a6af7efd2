namespace Dwarfsmith.Wasm.Validation;

/// <summary>
/// What function bodies are validated against: the module's index spaces with imports first
/// (the spec's context C), and the set of declared function references (C.refs).
/// </summary>
public sealed class ValidationContext
{
    public ValidationContext(WasmModule module)
    {
        Module = module;
        Features = module.Features;
        Types = module.Types;
        var functions = new List<uint>();
        var tables = new List<TableType>();
        var memories = new List<MemoryType>();
        var globals = new List<GlobalType>();
        var tags = new List<uint>();
        foreach (var import in module.Imports)
        {
            switch (import.Kind)
            {
                case ExternalKind.Function: functions.Add(import.TypeIndex); break;
                case ExternalKind.Table: tables.Add(import.Table); break;
                case ExternalKind.Memory: memories.Add(import.Memory); break;
                case ExternalKind.Global: globals.Add(import.Global); break;
                case ExternalKind.Tag: tags.Add(import.Tag.TypeIndex); break;
            }
        }
        ImportedGlobalCount = globals.Count;
        functions.AddRange(module.FunctionTypeIndices);
        tables.AddRange(module.Tables);
        memories.AddRange(module.Memories);
        globals.AddRange(module.Globals.Select(g => g.Type));
        tags.AddRange(module.Tags.Select(t => t.TypeIndex));
        FunctionTypeIndices = [.. functions];
        Tables = [.. tables];
        Memories = [.. memories];
        Globals = [.. globals];
        TagTypeIndices = [.. tags];
        ElementTypes = [.. module.Elements.Select(e => e.ElementType)];
        DataCount = module.DataCount;
        DeclaredFunctionReferences = CollectDeclaredReferences(module);
    }

    public WasmModule Module { get; }

    public WasmFeatures Features { get; }

    public IReadOnlyList<FunctionType> Types { get; }

    /// <summary>Type index of every function, imported ones first.</summary>
    public uint[] FunctionTypeIndices { get; }

    public TableType[] Tables { get; }

    public MemoryType[] Memories { get; }

    public GlobalType[] Globals { get; }

    public int ImportedGlobalCount { get; }

    public uint[] TagTypeIndices { get; }

    public ValueType[] ElementTypes { get; }

    /// <summary>The data count section's value; null when the module has none.</summary>
    public uint? DataCount { get; }

    /// <summary>Functions that <c>ref.func</c> may name: those referenced outside function bodies.</summary>
    public HashSet<uint> DeclaredFunctionReferences { get; }

    public bool Has(WasmFeatures feature) => (Features & feature) != 0;

    public bool TryGetFunctionType(uint functionIndex, out FunctionType type)
    {
        type = null!;
        if (functionIndex >= (uint)FunctionTypeIndices.Length)
            return false;
        var typeIndex = FunctionTypeIndices[functionIndex];
        if (typeIndex >= (uint)Types.Count)
            return false;
        type = Types[(int)typeIndex];
        return true;
    }

    private static HashSet<uint> CollectDeclaredReferences(WasmModule module)
    {
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
            else
                foreach (var expression in element.Expressions!)
                    AddReferences(expression, references);
        }
        return references;
    }

    private static void AddReferences(ConstantExpression expression, HashSet<uint> references)
    {
        var reader = new Instructions.InstructionReader(expression.Bytes.Span, expression.FileOffset);
        while (reader.TryRead(out var instruction))
        {
            if (instruction.Opcode == Instructions.Opcode.RefFunc)
                references.Add(instruction.FunctionIndex);
        }
    }
}
