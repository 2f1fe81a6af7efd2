using Dwarfsmith.Wasm;

namespace Dwarfsmith.Aot;

/// <summary>
/// How a module is linked into a program that holds several modules (the spec-test harness): its
/// own external symbols carry a prefix, and each import names the C symbol of what provides it. A
/// translated module then defines <c>&lt;prefix&gt;func&lt;index&gt;</c> for each exported function,
/// <c>&lt;prefix&gt;global&lt;index&gt;</c>, <c>&lt;prefix&gt;table&lt;index&gt;</c> and
/// <c>&lt;prefix&gt;mem0_base/_size/_max_pages</c>, and <c>&lt;prefix&gt;instantiate</c>. Without a
/// linkage a module is a WASI command and its imports are host functions.
/// </summary>
public sealed class ModuleLinkage
{
    public ModuleLinkage(string prefix, IReadOnlyList<string> importSymbols, SignatureIds signatures)
    {
        Prefix = prefix;
        ImportSymbols = importSymbols;
        Signatures = signatures;
    }

    /// <summary>The prefix of the module's external symbols, e.g. "m3_".</summary>
    public string Prefix { get; }

    /// <summary>
    /// Per import, in the module's import order: the C symbol that provides it (a function, a global
    /// variable, a <c>wasm_table</c>, or a memory's symbol prefix before <c>_base</c>).
    /// </summary>
    public IReadOnlyList<string> ImportSymbols { get; }

    /// <summary>Signature ids shared by every module of the program, so that call_indirect through a shared table checks types across modules.</summary>
    public SignatureIds Signatures { get; }

    public static string Function(string prefix, uint index) => $"{prefix}func{index}";

    public static string Global(string prefix, uint index) => $"{prefix}global{index}";

    public static string Table(string prefix, uint index) => $"{prefix}table{index}";

    public static string Memory(string prefix) => $"{prefix}mem0";

    public static string Instantiate(string prefix) => $"{prefix}instantiate";
}

/// <summary>Canonical signature ids: equal function types get equal ids.</summary>
public sealed class SignatureIds
{
    private readonly Dictionary<FunctionType, uint> _ids = [];

    public uint IdOf(FunctionType type)
    {
        if (!_ids.TryGetValue(type, out var id))
        {
            id = (uint)_ids.Count;
            _ids.Add(type, id);
        }
        return id;
    }
}
