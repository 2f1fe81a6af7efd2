using System.Diagnostics.CodeAnalysis;
using Dwarfsmith.Wasm;
using ValueType = Dwarfsmith.Wasm.ValueType;

namespace Dwarfsmith.Aot.SpecTests;

/// <summary>
/// What an export provides in the harness program: its kind, its type, and the C symbol of the
/// function, global variable, <c>wasm_table</c> or memory (symbol prefix before <c>_base</c>).
/// </summary>
public sealed record SpecExtern(ExternalKind Kind, string Symbol, FunctionType? Function = null, GlobalType Global = default,
    TableType Table = default, Limits Memory = default);

/// <summary>
/// A condition on an imported table's or memory's current size, which only the running program
/// knows (an exporter's memory may have grown since): C declaration and condition.
/// </summary>
public sealed record SpecSizeCheck(string Declaration, string Condition);

/// <summary>A module instance of the harness: its exports by name.</summary>
public sealed class SpecInstance(string prefix, IReadOnlyDictionary<string, SpecExtern> exports)
{
    public string Prefix { get; } = prefix;

    public IReadOnlyDictionary<string, SpecExtern> Exports { get; } = exports;
}

/// <summary>
/// Resolves the imports of the modules of one .wast file against the registered instances (the
/// standard <c>spectest</c> module and whatever <c>register</c> added), with the spec's matching
/// rules: equal function types, equal global types, and limits that fit.
/// </summary>
public sealed class SpecLinker
{
    private readonly Dictionary<string, SpecInstance> _registered = new(StringComparer.Ordinal) { ["spectest"] = SpectestModule() };

    public SignatureIds Signatures { get; } = new();

    public void Register(string name, SpecInstance instance) => _registered[name] = instance;

    /// <summary>
    /// The linkage of <paramref name="module"/> under <paramref name="prefix"/> and the instance it
    /// becomes; false with "unknown import" or "incompatible import type" (the spec's texts) when an
    /// import cannot be resolved. The minimum sizes of imported tables and memories are left to
    /// <paramref name="sizeChecks"/>, which the program evaluates before instantiating.
    /// </summary>
    public bool TryLink(WasmModule module, string prefix, [NotNullWhen(true)] out ModuleLinkage? linkage,
        [NotNullWhen(true)] out SpecInstance? instance, out List<SpecSizeCheck> sizeChecks, [NotNullWhen(false)] out string? error)
    {
        linkage = null;
        instance = null;
        sizeChecks = [];
        var symbols = new List<string>();
        var resolved = new List<SpecExtern>();
        foreach (var import in module.Imports)
        {
            if (!_registered.TryGetValue(import.Module, out var provider) || !provider.Exports.TryGetValue(import.Name, out var provided))
            {
                error = $"unknown import {import.Module}.{import.Name}";
                return false;
            }
            if (!Matches(import, module, provided))
            {
                error = $"incompatible import type {import.Module}.{import.Name}";
                return false;
            }
            if (import.Kind == ExternalKind.Memory)
                sizeChecks.Add(new SpecSizeCheck($"extern uint64_t {provided.Symbol}_size;", $"{provided.Symbol}_size / WASM_PAGE_SIZE >= {import.Memory.Limits.Minimum}u"));
            else if (import.Kind == ExternalKind.Table)
                sizeChecks.Add(new SpecSizeCheck($"extern wasm_table {provided.Symbol};", $"{provided.Symbol}.size >= {import.Table.Limits.Minimum}u"));
            symbols.Add(provided.Symbol);
            resolved.Add(provided);
        }
        linkage = new ModuleLinkage(prefix, symbols, Signatures);
        instance = new SpecInstance(prefix, Exports(module, prefix, resolved));
        error = null;
        return true;
    }

    private static bool Matches(Import import, WasmModule module, SpecExtern provided)
    {
        if (import.Kind != provided.Kind)
            return false;
        return import.Kind switch
        {
            ExternalKind.Function => module.Types[(int)import.TypeIndex].Equals(provided.Function),
            ExternalKind.Global => import.Global == provided.Global,
            ExternalKind.Table => import.Table.ElementType == provided.Table.ElementType && FitsMaximum(provided.Table.Limits, import.Table.Limits),
            ExternalKind.Memory => FitsMaximum(provided.Memory, import.Memory.Limits),
            _ => false,
        };
    }

    /// <summary>Limits subtyping, the static half: a maximum no larger than the import's (the minimum is a <see cref="SpecSizeCheck"/>).</summary>
    private static bool FitsMaximum(Limits provided, Limits wanted) =>
        wanted.Maximum is not { } max || (provided.Maximum is { } has && has <= max);

    private static Dictionary<string, SpecExtern> Exports(WasmModule module, string prefix, List<SpecExtern> imports)
    {
        // The index spaces: imports first, in order, then the module's own definitions.
        var functions = new List<SpecExtern>();
        var tables = new List<SpecExtern>();
        var memories = new List<SpecExtern>();
        var globals = new List<SpecExtern>();
        foreach (var provided in imports)
        {
            var list = provided.Kind switch
            {
                ExternalKind.Function => functions,
                ExternalKind.Table => tables,
                ExternalKind.Memory => memories,
                _ => globals,
            };
            list.Add(provided);
        }
        var exports = new Dictionary<string, SpecExtern>(StringComparer.Ordinal);
        foreach (var export in module.Exports)
        {
            var index = (int)export.Index;
            exports[export.Name] = export.Kind switch
            {
                ExternalKind.Function => index < functions.Count ? functions[index]
                    : new SpecExtern(ExternalKind.Function, ModuleLinkage.Function(prefix, export.Index), Function: FunctionTypeOf(module, export.Index)),
                ExternalKind.Table => index < tables.Count ? tables[index]
                    : new SpecExtern(ExternalKind.Table, ModuleLinkage.Table(prefix, export.Index), Table: module.Tables[index - tables.Count]),
                ExternalKind.Memory => index < memories.Count ? memories[index]
                    : new SpecExtern(ExternalKind.Memory, ModuleLinkage.Memory(prefix), Memory: module.Memories[index - memories.Count].Limits),
                ExternalKind.Global => index < globals.Count ? globals[index]
                    : new SpecExtern(ExternalKind.Global, ModuleLinkage.Global(prefix, export.Index), Global: module.Globals[index - globals.Count].Type),
                _ => throw new AotException($"unsupported export kind {export.Kind}"),
            };
        }
        return exports;
    }

    private static FunctionType FunctionTypeOf(WasmModule module, uint index)
    {
        module.TryGetFunctionType(index, out var type);
        return type!;
    }

    /// <summary>The standard host module of the spec tests, as Runtime/spectest.c defines it.</summary>
    private static SpecInstance SpectestModule()
    {
        static SpecExtern Print(string name, params ValueType[] parameters) =>
            new(ExternalKind.Function, "spectest_" + name, Function: new FunctionType(parameters, []));
        static SpecExtern Global(string name, ValueType type) => new(ExternalKind.Global, "spectest_" + name, Global: new GlobalType(type, false));
        var exports = new Dictionary<string, SpecExtern>(StringComparer.Ordinal)
        {
            ["print"] = Print("print"),
            ["print_i32"] = Print("print_i32", ValueType.I32),
            ["print_i64"] = Print("print_i64", ValueType.I64),
            ["print_f32"] = Print("print_f32", ValueType.F32),
            ["print_f64"] = Print("print_f64", ValueType.F64),
            ["print_i32_f32"] = Print("print_i32_f32", ValueType.I32, ValueType.F32),
            ["print_f64_f64"] = Print("print_f64_f64", ValueType.F64, ValueType.F64),
            ["global_i32"] = Global("global_i32", ValueType.I32),
            ["global_i64"] = Global("global_i64", ValueType.I64),
            ["global_f32"] = Global("global_f32", ValueType.F32),
            ["global_f64"] = Global("global_f64", ValueType.F64),
            ["table"] = new(ExternalKind.Table, "spectest_table", Table: new TableType(ValueType.FuncRef, new Limits(10, 20))),
            ["memory"] = new(ExternalKind.Memory, "spectest_mem0", Memory: new Limits(1, 2)),
        };
        return new SpecInstance("spectest_", exports);
    }
}
